#!/usr/bin/env bash
# How parafind's cost grows with the collection (#23): the large bench corpus (23,129 files,
# 227 MB) hard-linked 1, 3 and 10 times into distinct directories (distinct paths, so distinct
# files to parafind), each ingested from scratch into its own index under GNU time (wall, CPU,
# peak RSS), then the 30 shared queries asked of it: whole processes with hyperfine (RUNS=5
# each, after one warm-up; the p50 is the median of every run of every query of the kind), and
# in one batch process (each query 5 times; the p50 of the `elapsed_ms` of its answers).
# Writes $OUT/scale.tsv and, with matplotlib (installed with pip when missing), $OUT/scale.png.
#
# usage: bench/scale.sh        (env PARAFIND=binary, SCALES="1 3 10", RUNS=5,
#                               OUT=../bench-data/results/scale, KEEP_INDEXES=1 keeps them)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench=${BENCH_DATA:-$(cd .. && pwd)/bench-data}
shared=${SHARED:-$(cd .. && pwd)/shared}
corpus=$bench/corpus-large
out=${OUT:-$bench/results/scale}
runs=${RUNS:-5}
bin=$(parafind_binary "${PARAFIND:-}")
mkdir -p "$out"
command -v hyperfine >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
printf 'scale\tfiles\tcorpus_bytes\tingest_wall_s\tingest_cpu_s\tpeak_rss_mb\tindex_bytes\tkeyword_p50_ms\tphrase_p50_ms\tkeyword_inproc_p50_ms\tphrase_inproc_p50_ms\n' > "$out/scale.tsv"
for n in ${SCALES:-1 3 10}; do
  collection=$bench/scale/x$n
  if [ ! -d "$collection" ]; then
    mkdir -p "$collection"
    for i in $(seq 1 "$n"); do cp -al "$corpus" "$collection/copy-$i"; done
  fi
  idx=$out/index-x$n
  rm -rf "$idx"
  find "$collection" -type f -exec cat {} + > /dev/null
  echo "== x$n ingest $(date -u +%T)"
  /usr/bin/time -v -o "$out/x$n.time" "$bin" --index "$idx" ingest "$collection" 2> "$out/x$n.ingest.log"
  while IFS=$'\t' read -r kind q; do
    [ "$kind" = phrase ] && q="\"$q\""
    printf '%s\t%s --index %s search --color never -n 10 -- %q\n' "$kind" "$bin" "$idx" "$q"
  done < "$shared/bench/queries.tsv" > "$out/x$n.cmds"
  cut -f2 "$out/x$n.cmds" > "$out/x$n.cmdlines"
  mapfile -t cmds < "$out/x$n.cmdlines"
  echo "== x$n queries $(date -u +%T)"
  hyperfine -N -i --style basic --warmup 1 --runs "$runs" --output=pipe \
    --export-json "$out/x$n.hyperfine.json" "${cmds[@]}" > "$out/x$n.hyperfine.log"
  python3 - "$shared/bench/queries.tsv" "$runs" > "$out/x$n.batch.jsonl" <<'PY'
import json, sys
qs = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1]) if l.strip()]
for r in range(int(sys.argv[2])):
    for i, (kind, q) in enumerate(qs):
        query = f'"{q}"' if kind == "phrase" else q
        print(json.dumps({"id": f"{kind}:{i}:{r}", "query": query}))
PY
  "$bin" --index "$idx" search --batch "$out/x$n.batch.jsonl" --json -n 10 > "$out/x$n.batch.out" || true
  python3 - "$n" "$collection" "$idx" "$out" >> "$out/scale.tsv" <<'PY'
import json, os, re, statistics, subprocess, sys
n, collection, idx, out = sys.argv[1:5]
time = open(f"{out}/x{n}.time").read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", time).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall_s = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu_s = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss_mb = int(field("Maximum resident set size (kbytes)")) / 1024
files = sum(len(f) for _, _, f in os.walk(collection))
# The text ingested: every file's size (du would count hard-linked copies once).
corpus_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(collection) for f in fs)
index_bytes = int(subprocess.run(["du", "-sb", idx], capture_output=True, text=True).stdout.split()[0])
kinds = [l.split("\t")[0] for l in open(f"{out}/x{n}.cmds")]
runs = json.load(open(f"{out}/x{n}.hyperfine.json"))["results"]
proc = {}
for kind, result in zip(kinds, runs):
    proc.setdefault(kind, []).extend(t * 1000 for t in result["times"])
inproc = {}
for line in open(f"{out}/x{n}.batch.out"):
    r = json.loads(line)
    if r.get("type") == "summary" and "query_id" in r:
        inproc.setdefault(r["query_id"].split(":")[0], []).append(r["elapsed_ms"])
med = lambda xs: statistics.median(xs) if xs else float("nan")
print("\t".join(str(x) for x in [f"x{n}", files, corpus_bytes, f"{wall_s:.1f}", f"{cpu_s:.1f}",
      f"{rss_mb:.0f}", index_bytes, f"{med(proc.get('kw', [])):.2f}", f"{med(proc.get('phrase', [])):.2f}",
      f"{med(inproc.get('kw', [])):.3f}", f"{med(inproc.get('phrase', [])):.3f}"]))
PY
  tail -1 "$out/scale.tsv"
  [ -n "${KEEP_INDEXES:-}" ] || rm -rf "$idx"
done
python3 -c 'import sys; [print("  ".join(f"{c:>14}" for c in l.rstrip("\n").split("\t"))) for l in open(sys.argv[1])]' "$out/scale.tsv"
python3 -c "import matplotlib" 2>/dev/null || pip install -q matplotlib
python3 - "$out/scale.tsv" "$out/scale.png" <<'PY'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
mb = [int(r["corpus_bytes"]) / 1e6 for r in rows]
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
a.plot(mb, [float(r["ingest_wall_s"]) for r in rows], "o-", label="wall")
a.plot(mb, [float(r["ingest_cpu_s"]) for r in rows], "s--", label="CPU (2 cores)")
a.set(xlabel="collection (MB of text)", ylabel="seconds", title="ingest from scratch")
b.plot(mb, [float(r["keyword_p50_ms"]) for r in rows], "o-", label="keyword, process")
b.plot(mb, [float(r["phrase_p50_ms"]) for r in rows], "s-", label="phrase, process")
b.plot(mb, [float(r["keyword_inproc_p50_ms"]) for r in rows], "o--", label="keyword, in process")
b.plot(mb, [float(r["phrase_inproc_p50_ms"]) for r in rows], "s--", label="phrase, in process")
b.set(xlabel="collection (MB of text)", ylabel="ms (p50, top 10 with highlights)", title="query latency")
for ax, rs in ((a, rows), (b, rows)):
    ax.set_xscale("log"); ax.minorticks_off(); ax.grid(True, alpha=0.3); ax.legend(fontsize=8)
    ax.set_xticks(mb); ax.set_xticklabels([f"{r['scale']}\n{m:.0f}" for r, m in zip(rows, mb)])
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print("chart:", sys.argv[2])
PY
