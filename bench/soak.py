#!/usr/bin/env python3
"""Soak test: ingests over a changing corpus, killed at random, with searches running beside.

    bench/soak.py [--seconds 600] [--files 3000] [--bin target/release/parafind] [--work DIR]

Loop until the time is up: change the corpus (edit, add, delete and rename files), start
`parafind ingest`, and either let it finish or stop it after a random delay with SIGKILL,
SIGTERM or SIGINT (a third of the stops land inside the commit, after its first
deletion file appears). After a stop, half the time the same ingest is run again. Two threads search the index the whole time (ranked JSON hits, phrase
counts, stats). At the end one last ingest runs to completion and the index is compared with
a fresh ingest of the final files: the paragraph count of every file must be equal.

Reports kills, ingests, searches and failures. A failure is a search or a non-interrupted
ingest that exits 2, or a final index that differs from a fresh one; the target is 0. Exit
status 0 when there was none, 1 otherwise.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

WORDS = (
    "alliance treaty deterrence nuclear peninsula security troops trade summit missile "
    "defense economy north south policy cost sharing forces command exercise talks "
    "sanctions pressure diplomacy regional stability cooperation extended umbrella"
).split()


def paragraph(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 90)))


def write_file(path, rng):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 10))) + "\n")


def corpus_files(root):
    out = []
    for dirpath, _, names in os.walk(root):
        out.extend(os.path.join(dirpath, n) for n in names)
    return out


def change_corpus(root, rng, target):
    """Edits a random share of the files, deletes and renames a few, adds new ones."""
    files = corpus_files(root)
    for path in rng.sample(files, k=int(len(files) * rng.uniform(0.05, 0.5))):
        write_file(path, rng)
    for path in rng.sample(files, k=min(len(files), rng.randint(0, 20))):
        if os.path.exists(path):
            if rng.random() < 0.5:
                os.remove(path)
            else:
                os.rename(path, path + f".{rng.randint(0, 1 << 30)}.txt")
    while len(corpus_files(root)) < target:
        write_file(os.path.join(root, f"d{rng.randint(0, 30):02d}", f"n{rng.getrandbits(40):x}.txt"), rng)


class Searches(threading.Thread):
    """Runs searches in a loop until stopped, counting them and their failures."""

    QUERIES = [
        ["search", "-n", "5", "--json", "alliance"],
        ["search", "--count", '"nuclear deterrence"'],
        ["search", "-n", "3", "-C", "1", "--json", "cost sharing"],
        ["stats", "--json"],
    ]

    def __init__(self, binary, index, seed):
        super().__init__(daemon=True)
        self.binary, self.index = binary, index
        self.rng = random.Random(seed)
        self.running = True
        self.count = 0
        self.failures = []

    def run(self):
        while self.running:
            args = self.rng.choice(self.QUERIES)
            done = subprocess.run([self.binary, "--index", self.index, *args],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            self.count += 1
            if done.returncode == 2:
                self.failures.append(f"{' '.join(args)}: {done.stderr.strip()}")


def wait_for_commit(child, index):
    """Returns as soon as `child` writes a deletion file it did not find (its commit has
    begun: the narrow window before `meta.json` is replaced), or when it ends."""
    before = set(os.listdir(index))
    while child.poll() is None:
        if any(f.endswith(".del") and f not in before for f in os.listdir(index)):
            return


def paragraph_counts(binary, index):
    listed = subprocess.run([binary, "--index", index, "list", "--json"],
                            capture_output=True, text=True, check=True).stdout
    records = (json.loads(line) for line in listed.splitlines())
    return {r["path"]: r["paragraphs"] for r in records if r.get("type") == "indexed_file"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--bin", default="target/release/parafind")
    ap.add_argument("--work", default=None, help="working directory (a temporary one by default)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    work = args.work or tempfile.mkdtemp(prefix="parafind-soak-")
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    rng = random.Random(args.seed)
    shutil.rmtree("corpus", ignore_errors=True)
    shutil.rmtree("index", ignore_errors=True)
    shutil.rmtree("fresh", ignore_errors=True)
    for i in range(args.files):
        write_file(os.path.join("corpus", f"d{i % 30:02d}", f"f{i:05d}.txt"), rng)
    subprocess.run([binary, "--index", "index", "ingest", "corpus"], check=True,
                   stderr=subprocess.DEVNULL)

    searchers = [Searches(binary, "index", args.seed + i) for i in range(2)]
    for s in searchers:
        s.start()
    kills = {"KILL": 0, "TERM": 0, "INT": 0}
    ingests, ingest_failures = 0, []
    started = time.monotonic()
    last_ingest = 1.0  # seconds the last completed ingest took: kills land anywhere in one
    retry = False  # after a kill, half the time the same ingest runs again, as a user would
    while time.monotonic() - started < args.seconds:
        if not retry:
            change_corpus("corpus", rng, args.files)
        began = time.monotonic()
        child = subprocess.Popen([binary, "--index", "index", "ingest", "corpus"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        roll = rng.random()
        if roll < 0.6:
            if roll < 0.2:
                wait_for_commit(child, "index")
            else:
                time.sleep(rng.uniform(0, last_ingest))
            if child.poll() is None:
                name = rng.choice(list(kills))
                child.send_signal(getattr(signal, "SIG" + name))
                child.wait()
                kills[name] += 1
                retry = rng.random() < 0.5
                continue
        retry = False
        _, err = child.communicate()
        last_ingest = time.monotonic() - began
        ingests += 1
        if child.returncode != 0:
            ingest_failures.append(err.strip())
    for s in searchers:
        s.running = False
    for s in searchers:
        s.join()

    final = subprocess.run([binary, "--index", "index", "ingest", "corpus"],
                           capture_output=True, text=True)
    if final.returncode != 0:
        ingest_failures.append("final ingest: " + final.stderr.strip())
    subprocess.run([binary, "--index", "fresh", "ingest", "corpus"], check=True,
                   stderr=subprocess.DEVNULL)
    soaked, fresh = paragraph_counts(binary, "index"), paragraph_counts(binary, "fresh")
    differing = sorted(p for p in set(soaked) | set(fresh) if soaked.get(p) != fresh.get(p))

    search_failures = [f for s in searchers for f in s.failures]
    print(f"seconds:          {time.monotonic() - started:.0f}")
    print(f"kills:            {sum(kills.values())} ({', '.join(f'{k} {v}' for k, v in kills.items())})")
    print(f"ingests:          {ingests} completed, {len(ingest_failures)} failed")
    print(f"searches:         {sum(s.count for s in searchers)}, {len(search_failures)} failed")
    print(f"final index:      {len(soaked)} files; fresh ingest: {len(fresh)} files; "
          f"{len(differing)} differ in paragraph count")
    for failure in (ingest_failures + search_failures)[:10]:
        print(f"  failure: {failure}")
    for path in differing[:10]:
        print(f"  differs: {path}: {soaked.get(path)} vs {fresh.get(path)}")
    failures = len(ingest_failures) + len(search_failures) + len(differing)
    print(f"failures:         {failures}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
