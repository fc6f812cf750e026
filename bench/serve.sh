#!/usr/bin/env bash
# `parafind serve` under load (#20), over loopback, on the large bench corpus: wrk with the 30
# shared queries at 1, 4 and 16 connections against parafind's server and tantivy-cli's
# `serve`, beside the same queries as separate `parafind search` processes; then a soak run
# (16 connections, SOAK seconds, default 300) with the server's memory read every 10 s.
#
# usage: bench/serve.sh [CORPUS_DIR]    (default ../bench-data/corpus-large; env SECONDS_EACH=10,
#                                        SOAK=300, OUT=../bench-data/results/serve)
# Needs wrk (Debian; installed when missing) and tantivy-cli 0.24 (`cargo install`, as
# bench/run.sh installs it). Indexes are built once and kept in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
corpus=${1:-${BENCH_DATA:-../bench-data}/corpus-large}
out=${OUT:-${BENCH_DATA:-../bench-data}/results/serve}
shared=${SHARED:-../shared}
mkdir -p "$out"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
export PATH=$HOME/.cargo/bin:${TANTIVY_ROOT:-../bench-tools}/bin:$PATH
command -v tantivy >/dev/null || cargo install tantivy-cli --version 0.24.0 --root "${TANTIVY_ROOT:-../bench-tools}"
bin=$(parafind_binary "${PARAFIND:-}")

if [ ! -f "$out/parafind-index/meta.json" ]; then
  echo "== parafind ingest $(date -u +%T)"
  "$bin" --index "$out/parafind-index" ingest "$corpus" >/dev/null
fi
if [ ! -f "$out/tantivy-index/meta.json" ] || ! grep -q '"segments":\[{' "$out/tantivy-index/meta.json"; then
  echo "== tantivy-cli index $(date -u +%T)"
  # The schema and the one-document-per-paragraph JSON of the shared peer script.
  rm -rf "$out/tantivy-index"; mkdir -p "$out/tantivy-index"
  cat > "$out/tantivy-index/meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
 {"name":"text","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},
 {"name":"path","type":"text","options":{"stored":true,"fast":false}},
 {"name":"para","type":"u64","options":{"indexed":false,"fieldnorms":false,"fast":false,"stored":true}}],"opstamp":0}
JSON
  python3 "$shared/bench/paragraphs.py" "$corpus" > "$out/docs.jsonl"
  tantivy index -i "$out/tantivy-index" -f "$out/docs.jsonl" --forcemerge 1 >/dev/null 2>&1
  rm -f "$out/docs.jsonl"
fi
find "$corpus" -type f -exec cat {} + >/dev/null
echo "== load $(date -u +%T)  ($(nproc) cores, $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), tantivy-cli $(tantivy --version 2>/dev/null | head -1 || echo 0.24))"
python3 bench/serve.py "$bin" "$out/parafind-index" "$shared/bench/queries.tsv" "$out" \
  --tantivy "$(command -v tantivy)" "$out/tantivy-index" \
  --seconds "${SECONDS_EACH:-10}" --soak "${SOAK:-300}" | tee "$out/summary.txt"
