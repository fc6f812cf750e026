#!/usr/bin/env bash
# Keystroke latency of `parafind tui` (#21) on the large bench corpus: the 30 shared queries
# typed a character at a time (`parafind tui --replay`), each keystroke timed from the key to
# the finished frame: the UI's own search (with the completion of an unfinished last word, and
# "did you mean" when nothing matches), the preview's neighbours, and the drawing through the
# crossterm backend. Two screen sizes; each run twice, the first from whatever the page cache
# holds, the second warm. One JSON line per keystroke in $OUT/tui-SIZE-RUN.jsonl.
#
# usage: bench/tui.sh [CORPUS_DIR]   (default ../bench-data/corpus-large; env PARAFIND=binary,
#                                     OUT=../bench-data/results/tui, INDEX=an existing index)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
corpus=${1:-${BENCH_DATA:-../bench-data}/corpus-large}
out=${OUT:-${BENCH_DATA:-../bench-data}/results/tui}
shared=${SHARED:-../shared}
mkdir -p "$out"
bin=$(parafind_binary "${PARAFIND:-}")
index=${INDEX:-$out/parafind-index}
if [ ! -f "$index/meta.json" ]; then
  echo "== parafind ingest $corpus $(date -u +%T)"
  "$bin" --index "$index" ingest "$corpus" >/dev/null
fi
echo "== $("$bin" --version), $(nproc) cores, index $index ($("$bin" --index "$index" stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["paragraphs"], "paragraphs")'))"
for size in 80x24 200x60; do
  for run in 1 2; do
    "$bin" --index "$index" tui --replay "$shared/bench/queries.tsv" --replay-size "$size" \
      > "$out/tui-$size-$run.jsonl"
    printf '%-7s run %s  ' "$size" "$run"
    tail -1 "$out/tui-$size-$run.jsonl" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("keystrokes %d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms" % (
    s["keystrokes"], s["p50_ms"], s["p90_ms"], s["p99_ms"], s["max_ms"]))'
  done
done
echo "slowest keystrokes of the last run (ms, of which search ms, typed, matching paragraphs):"
grep '"typed"' "$out/tui-200x60-2.jsonl" | python3 -c '
import json, sys
rows = sorted((json.loads(l) for l in sys.stdin), key=lambda r: -r["ms"])[:5]
for r in rows:
    print("  %6.2f %6.2f  %-24s %d" % (r["ms"], r["search_ms"], r["typed"], r["total"]))'
