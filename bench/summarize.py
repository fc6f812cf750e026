#!/usr/bin/env python3
"""summarize.py OUT_DIR [OUT_DIR...]: one markdown table of parafind and its peers from bench/run.sh's
outputs, with parafind/peer ratios (below 1 means parafind is faster or smaller). Latency p50/p95 are
over the per-query medians of whole-process runs (p95 = nearest rank). Given several runs, each cell
is the median of that cell over the runs (ratios from those medians), and the per-run ratios of the
timed rows follow the table: a shared machine drifts between runs."""
import csv, json, math, os, re, statistics, sys

PEERS = ["sqlite", "tantivy", "rg"]
TOOLS = ["parafind"] + PEERS
NAMES = {"parafind": "parafind", "sqlite": "SQLite FTS5", "tantivy": "tantivy-cli", "rg": "ripgrep"}


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


def collect(out):
    """One run's figures: ([(metric, {tool: value})], corpus MB, unchanged re-ingest)."""
    size = lambda name: int(open(f"{out}/{name}.size").read()) if os.path.exists(f"{out}/{name}.size") else None
    corpus_bytes = size("corpus")
    mb = corpus_bytes / 1e6 if corpus_bytes else None
    builds = {p: gnu_time(f"{out}/{p}.build.time") for p in ["parafind", "sqlite", "tantivy"]}
    sizes = {p: size(p) for p in ["parafind", "sqlite", "tantivy"]}
    cli = {"parafind": whole(f"{out}/parafind.cli"), "sqlite": whole(f"{out}/sqlite.cli"),
           "tantivy": whole(f"{out}/tantivy.cli"), "rg": whole(f"{out}/rg")}
    prefix_sqlite = whole(f"{out}/prefix/sqlite.cli")
    if prefix_sqlite.get("prefix"):
        cli["sqlite"]["prefix"] = prefix_sqlite["prefix"]
    batch = None
    if os.path.exists(f"{out}/parafind.batch.timing"):
        start, end, n = open(f"{out}/parafind.batch.timing").read().split()
        batch = int(n) / (float(end) - float(start))
    sqlite_inproc = None
    if os.path.exists(f"{out}/sqlite.inproc.csv"):
        meds = [float(r["median_ms"]) for r in csv.DictReader(open(f"{out}/sqlite.inproc.csv"))]
        sqlite_inproc = 1000 / statistics.mean(meds)

    b = lambda p, k: builds[p][k] if builds.get(p) else None
    rows = []
    metric = lambda label, get: rows.append((label, {p: get(p) for p in TOOLS}))
    metric("ingest wall s", lambda p: b(p, "wall"))
    metric("ingest CPU s", lambda p: b(p, "cpu"))
    one_thread = gnu_time(f"{out}/parafind.build-j1.time")
    if one_thread:
        # parafind with `-j 1` beside the peers' ordinary ingest.
        metric("ingest wall s, parafind -j 1", lambda p: one_thread["wall"] if p == "parafind" else b(p, "wall"))
    metric("ingest MB/s", lambda p: mb / b(p, "wall") if b(p, "wall") and mb else None)
    metric("ingest peak RSS MB", lambda p: b(p, "rss"))
    metric("index size / corpus", lambda p: sizes[p] / corpus_bytes if sizes.get(p) and corpus_bytes else None)
    for kind in ["kw", "phrase", "prefix"]:
        metric(f"query {kind} p50 ms (process)", lambda p, k=kind: cli[p].get(k, (None, None))[0])
        metric(f"query {kind} p95 ms (process)", lambda p, k=kind: cli[p].get(k, (None, None))[1])
    metric("search peak RSS MB", lambda p: cli[p].get("rss"))
    metric("batch queries/s (in process)", lambda p: {"parafind": batch, "sqlite": sqlite_inproc}.get(p))
    re_ingest = gnu_time(f"{out}/parafind.reingest.time")
    reingest = (re_ingest, b("parafind", "wall")) if re_ingest else None
    return rows, mb, reingest


def fmt(x):
    return "–" if x is None else (f"{x:,.0f}" if x >= 100 else f"{x:.2f}")


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


runs = [collect(out) for out in sys.argv[1:]]
lines = []
header = ["metric"] + [NAMES[p] for p in TOOLS] + [f"parafind / {NAMES[p]}" for p in PEERS]
lines.append("| " + " | ".join(header) + " |")
lines.append("|" + "---|" * len(header))
for i, (label, _) in enumerate(runs[0][0]):
    vals = {p: median(run[0][i][1][p] for run in runs) for p in TOOLS}
    cells = [fmt(vals[p]) for p in TOOLS] + [ratio(vals["parafind"], vals[p]) for p in PEERS]
    lines.append(f"| {label} | " + " | ".join(cells) + " |")

mb = runs[0][1]
print(f"corpus: {', '.join(sys.argv[1:])}; {mb:.1f} MB" if mb else f"corpus: {sys.argv[1:]}")
if len(runs) > 1:
    print(f"median of {len(runs)} runs (each cell; ratios from the medians)")
print("\n".join(lines))
reingests = [r[2] for r in runs if r[2]]
if reingests:
    walls = [again["wall"] for again, _ in reingests]
    shares = [100 * again["wall"] / first for again, first in reingests if first]
    rss = max(again["rss"] for again, _ in reingests)
    print(f"\nunchanged re-ingest: {median(walls):.2f} s = {median(shares):.1f}% of the first ingest "
          f"(peak RSS {rss:.0f} MB)")
if len(runs) > 1:
    print("\nper-run parafind/peer ratios of the timed rows:")
    timed = [i for i, (label, _) in enumerate(runs[0][0]) if "ms" in label or "wall" in label]
    for i in timed:
        label = runs[0][0][i][0]
        per = []
        for peer in PEERS:
            rs = [ratio(run[0][i][1]["parafind"], run[0][i][1][peer]) for run in runs]
            if any(r != "–" for r in rs):
                per.append(f"{NAMES[peer]} " + " / ".join(rs))
        if per:
            print(f"- {label}: " + "; ".join(per))
print("\nparafind queries print the top 10 paragraphs with highlights; SQLite's compute highlight(); "
      "tantivy-cli's fetch stored docs without highlights; ripgrep scans the files. "
      "Batch: parafind = one `search --batch --json` process over 35 queries x 100; "
      "SQLite = 1000 / mean in-process median ms of its 30 queries.")
