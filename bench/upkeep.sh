#!/usr/bin/env bash
# Index upkeep on a corpus (#17): first ingest, `refresh` of the unchanged corpus (target: under
# 5% of the first ingest), and how long `watch` takes to make a one-file edit searchable
# (target: under 1 s).
#
#   bench/upkeep.sh [CORPUS_DIR]   default: $BENCH/corpus-large (built by bench/run.sh, or
#                                  ../shared/bench/make_corpus.sh); RUNS=5 edits are timed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
BENCH=${BENCH:-$(cd "$repo/.." && pwd)/bench-data}
corpus=$(cd "${1:-$BENCH/corpus-large}" && pwd)
runs=${RUNS:-5}
command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bin=$repo/target/release/parafind
work=$(mktemp -d)
trap 'kill "${watcher:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
copy=$work/corpus
cp -r "$corpus" "$copy"
cd "$work"
now() { date +%s.%N; }
files=$(find "$copy" -type f | wc -l)
bytes=$(du -sb "$copy" | cut -f1)
echo "corpus: $corpus ($files files, $bytes bytes), copied to $copy"

t0=$(now); "$bin" --index idx ingest "$copy" 2>/dev/null; t1=$(now)
ingest=$(echo "$t1 - $t0" | bc -l)
t0=$(now); "$bin" --index idx refresh 2>/dev/null; t1=$(now)
refresh=$(echo "$t1 - $t0" | bc -l)
printf 'first ingest:        %8.3f s\n' "$ingest"
printf 'refresh (unchanged): %8.3f s  = %.2f%% of the first ingest\n' "$refresh" \
  "$(echo "100 * $refresh / $ingest" | bc -l)"

"$bin" --index idx watch 2> watch.log &
watcher=$!
until grep -q "watching" watch.log; do sleep 0.05; done
target=$(find "$copy" -type f -name '*.txt' | sort | sed -n 1p)
for i in $(seq 1 "$runs"); do
  word="upkeepmarker$i$RANDOM"
  t0=$(now)
  printf '\n%s\n' "$word" >> "$target"
  until [ "$("$bin" --index idx search --count "$word" 2>/dev/null)" = 1 ]; do sleep 0.01; done
  t1=$(now)
  printf 'watch: edit %d searchable after %.3f s\n' "$i" "$(echo "$t1 - $t0" | bc -l)"
done
kill "$watcher"
echo "commit lines from watch:"; grep "indexed in" watch.log || true
