#!/usr/bin/env python3
"""summarize.py OUT_DIR: one markdown table of parafind and its peers from bench/run.sh's outputs,
with parafind/peer ratios (below 1 means parafind is faster or smaller). Latency p50/p95 are over
the per-query medians of whole-process runs (p95 = nearest rank)."""
import csv, json, math, os, re, statistics, sys

out = sys.argv[1]


def pct(xs, p):
    xs = sorted(xs)
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)] if xs else None


def gnu_time(path):
    if not os.path.exists(path):
        return None
    s = open(path).read()
    g = lambda k: re.search(re.escape(k) + r": (.*)", s).group(1)
    w = [float(x) for x in g("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    return dict(wall=sum(v * 60 ** i for i, v in enumerate(reversed(w))),
                cpu=float(g("User time (seconds)")) + float(g("System time (seconds)")),
                rss=int(g("Maximum resident set size (kbytes)")) / 1024)


def whole(prefix):
    path = f"{prefix}.hyperfine.json"
    if not os.path.exists(path):
        return {}
    results = json.load(open(path))["results"]
    kinds = open(f"{prefix}.kinds").read().split()
    by_kind = {}
    for kind, r in zip(kinds, results):
        by_kind.setdefault(kind, []).append(r["median"] * 1e3)
    rss = [int(x) for x in open(f"{prefix}.rss").read().split()] if os.path.exists(f"{prefix}.rss") else []
    stats = {k: (pct(v, 50), pct(v, 95)) for k, v in by_kind.items()}
    stats["rss"] = max(rss) / 1024 if rss else None
    return stats


def size(name):
    path = f"{out}/{name}.size"
    return int(open(path).read()) if os.path.exists(path) else None


corpus_bytes = size("corpus")
rows = {}
for peer, build in [("parafind", "parafind.build"), ("sqlite", "sqlite.build"), ("tantivy", "tantivy.build")]:
    t = gnu_time(f"{out}/{build}.time")
    rows[peer] = dict(build=t, size=size(peer))
rows["rg"] = dict(build=None, size=None)
cli = {"parafind": whole(f"{out}/parafind.cli"), "sqlite": whole(f"{out}/sqlite.cli"),
       "tantivy": whole(f"{out}/tantivy.cli"), "rg": whole(f"{out}/rg")}
prefix_sqlite = whole(f"{out}/prefix/sqlite.cli")
if prefix_sqlite.get("prefix"):
    cli["sqlite"]["prefix"] = prefix_sqlite["prefix"]
re_ingest = gnu_time(f"{out}/parafind.reingest.time")

batch = None
if os.path.exists(f"{out}/parafind.batch.timing"):
    start, end, n = open(f"{out}/parafind.batch.timing").read().split()
    batch = int(n) / (float(end) - float(start))
sqlite_inproc = None
if os.path.exists(f"{out}/sqlite.inproc.csv"):
    meds = [float(r["median_ms"]) for r in csv.DictReader(open(f"{out}/sqlite.inproc.csv"))]
    sqlite_inproc = 1000 / statistics.mean(meds)

peers = ["sqlite", "tantivy", "rg"]
names = {"parafind": "parafind", "sqlite": "SQLite FTS5", "tantivy": "tantivy-cli", "rg": "ripgrep"}


def fmt(x, unit=""):
    return "–" if x is None else (f"{x:,.0f}{unit}" if x >= 100 else f"{x:.2f}{unit}")


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}x"


lines = []
mb = corpus_bytes / 1e6 if corpus_bytes else None


def metric(label, get):
    vals = {p: get(p) for p in ["parafind"] + peers}
    cells = [fmt(vals[p]) for p in ["parafind"] + peers]
    ratios = [ratio(vals["parafind"], vals[p]) for p in peers]
    lines.append(f"| {label} | " + " | ".join(cells + ratios) + " |")


header = ["metric"] + [names[p] for p in ["parafind"] + peers] + [f"parafind / {names[p]}" for p in peers]
lines.append("| " + " | ".join(header) + " |")
lines.append("|" + "---|" * len(header))
b = lambda p, k: rows[p]["build"][k] if rows[p]["build"] else None
metric("ingest wall s", lambda p: b(p, "wall"))
metric("ingest CPU s", lambda p: b(p, "cpu"))
metric("ingest MB/s", lambda p: mb / b(p, "wall") if b(p, "wall") and mb else None)
metric("ingest peak RSS MB", lambda p: b(p, "rss"))
metric("index size / corpus", lambda p: rows[p]["size"] / corpus_bytes if rows[p]["size"] and corpus_bytes else None)
for kind in ["kw", "phrase", "prefix"]:
    metric(f"query {kind} p50 ms (process)", lambda p, k=kind: cli[p].get(k, (None, None))[0])
    metric(f"query {kind} p95 ms (process)", lambda p, k=kind: cli[p].get(k, (None, None))[1])
metric("search peak RSS MB", lambda p: cli[p].get("rss"))
metric("batch queries/s (in process)", lambda p: {"parafind": batch, "sqlite": sqlite_inproc}.get(p))
print(f"corpus: {out}, {mb:.1f} MB" if mb else f"corpus: {out}")
print("\n".join(lines))
if re_ingest and rows["parafind"]["build"]:
    first = rows["parafind"]["build"]["wall"]
    print(f"\nunchanged re-ingest: {re_ingest['wall']:.2f} s = {100 * re_ingest['wall'] / first:.1f}% of the first ingest "
          f"(peak RSS {re_ingest['rss']:.0f} MB)")
print("\nparafind queries print the top 10 paragraphs with highlights; SQLite's compute highlight(); "
      "tantivy-cli's fetch stored docs without highlights; ripgrep scans the files. "
      "Batch: parafind = one `search --batch --json` process over 35 queries x 100; "
      "SQLite = 1000 / mean in-process median ms of its 30 queries.")
