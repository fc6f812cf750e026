#!/usr/bin/env bash
# parafind against ripgrep, SQLite FTS5 and tantivy-cli on the large Debian corpus, in one run.
#
#   bench/run.sh [large|mid]        (default large; env RUNS=7 whole-process runs per query,
#                                    REPEAT=1 measurements of everything, reported as medians;
#                                    KEEP_INDEXES=1 keeps each run's indexes, 1.5 GB a run)
#
# 1. Builds the corpus with ../shared/bench/make_corpus.sh (installs its Debian packages once).
# 2. Installs the peers it lacks: ripgrep, hyperfine and sqlite3 (Debian), tantivy-cli (cargo).
# 3. Runs the shared peer scripts (sqlite, rg, tantivy) on the corpus, then parafind the same way:
#    ingest under GNU time, unchanged re-ingest, ingest with one thread (-j 1), index size,
#    whole-process queries with hyperfine (top 10 hits with highlights, output through a pipe),
#    and in-process batch throughput.
# 4. Prints one table with parafind/peer ratios (bench/summarize.py); results stay in $OUT. With
#    REPEAT=n, steps 3 and 4 run n times (in $OUT/run-1 ...) and each cell of the table is the
#    median over the runs, followed by the per-run ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SHARED:-$(cd "$repo/.." && pwd)/shared}
export BENCH=${BENCH:-$(cd "$repo/.." && pwd)/bench-data}
which=${1:-large}
corpus=$BENCH/corpus-$which
OUT=${OUT:-$BENCH/results/parafind-$which}
export RUNS=${RUNS:-7}
REPEAT=${REPEAT:-1}
mkdir -p "$OUT"

bash "$shared/bench/make_corpus.sh" > "$OUT/make_corpus.log"
missing=""
for tool in rg:ripgrep hyperfine:hyperfine sqlite3:sqlite3; do
  command -v "${tool%%:*}" > /dev/null || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi
export PATH=$HOME/.cargo/bin:$PATH
command -v tantivy > /dev/null || cargo install tantivy-cli

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bin=$repo/target/release/parafind

measure() {
  local OUT=$1
  mkdir -p "$OUT"
  # The peers, with the shared scripts (sequentially: two cores, never overlap runs).
  for peer in sqlite rg tantivy; do
    echo "== $peer $(date -u +%T)"
    bash "$shared/bench/bench_$peer.sh" "$corpus" "$OUT"
  done
  # FTS5 also answers the prefix queries (tantivy-cli's parser and rg -w have no prefix form).
  mkdir -p "$OUT/prefix"
  QUERIES=$here/prefix_queries.tsv bash "$shared/bench/bench_sqlite.sh" "$corpus" "$OUT/prefix" \
    > /dev/null 2>&1 || true

  echo "== parafind $(date -u +%T)"
  idx=$OUT/parafind/index
  rm -rf "$idx"; mkdir -p "$OUT/parafind"
  find "$corpus" -type f -exec cat {} + > /dev/null
  /usr/bin/time -v -o "$OUT/parafind.build.time" "$bin" --index "$idx" ingest "$corpus" 2> "$OUT/parafind.build.log"
  /usr/bin/time -v -o "$OUT/parafind.reingest.time" "$bin" --index "$idx" ingest "$corpus" 2> "$OUT/parafind.reingest.log"
  # One indexing thread (`-j 1`), for the wall time on one core (#23).
  rm -rf "$idx-j1"
  /usr/bin/time -v -o "$OUT/parafind.build-j1.time" "$bin" --index "$idx-j1" ingest -j 1 "$corpus" 2> "$OUT/parafind.build-j1.log"
  rm -rf "$idx-j1"
  du -sb "$idx" | cut -f1 > "$OUT/parafind.size"
  du -sb "$corpus" | cut -f1 > "$OUT/corpus.size"
  cat "$shared/bench/queries.tsv" "$here/prefix_queries.tsv" > "$OUT/parafind.queries.tsv"
  while IFS=$'\t' read -r kind q; do
    [ "$kind" = phrase ] && q="\"$q\""
    printf "%s\t%s --index %s search --color never -n 10 -- '%s'\n" "$kind" "$bin" "$idx" "$q"
  done < "$OUT/parafind.queries.tsv" > "$OUT/parafind.cmds"
  kinds=(); cmds=()
  while IFS=$'\t' read -r k c; do kinds+=("$k"); cmds+=("$c"); done < "$OUT/parafind.cmds"
  printf '%s\n' "${kinds[@]}" > "$OUT/parafind.cli.kinds"
  hyperfine -N -i --style basic --warmup 1 --runs "$RUNS" --output=pipe \
    --export-json "$OUT/parafind.cli.hyperfine.json" "${cmds[@]}" > "$OUT/parafind.cli.hyperfine.log"
  : > "$OUT/parafind.cli.rss"
  for c in "${cmds[@]}"; do
    eval "/usr/bin/time -q -f %M -o $OUT/.rss1 $c" > /dev/null || true; cat "$OUT/.rss1" >> "$OUT/parafind.cli.rss"
  done
  # In-process batch: the 35 queries 100 times over, top 10 with highlights, JSON Lines out.
  python3 - "$OUT/parafind.queries.tsv" > "$OUT/parafind.batch.txt" <<'PY'
import sys
qs = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1]) if l.strip()]
for _ in range(100):
    for kind, q in qs:
        print(f'"{q}"' if kind == "phrase" else q)
PY
  start=$(date +%s.%N)
  "$bin" --index "$idx" search --batch "$OUT/parafind.batch.txt" --json -n 10 > "$OUT/parafind.batch.jsonl" || true
  end=$(date +%s.%N)
  echo "$start $end $(wc -l < "$OUT/parafind.batch.txt")" > "$OUT/parafind.batch.timing"
  # The indexes take 1.5 GB a run and their sizes are already recorded: dropped unless asked.
  if [ "${KEEP_INDEXES:-0}" != 1 ]; then
    rm -rf "$OUT/sqlite/fts.db" "$OUT/prefix/sqlite/fts.db" "$OUT/tantivy/idx" "$idx"
  fi
}

if [ "$REPEAT" -gt 1 ]; then
  dirs=()
  for i in $(seq "$REPEAT"); do
    echo "== run $i of $REPEAT"
    measure "$OUT/run-$i"
    dirs+=("$OUT/run-$i")
  done
  python3 "$here/summarize.py" "${dirs[@]}" | tee "$OUT/summary.md"
else
  measure "$OUT"
  python3 "$here/summarize.py" "$OUT" | tee "$OUT/summary.md"
fi
