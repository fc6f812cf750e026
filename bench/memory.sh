#!/usr/bin/env bash
# Memory bounds (#24 item 4): peak RSS of the inputs that used to grow without bound.
#   - 4,000,000 one-word paragraphs in one 24 MB file, `ingest --memory 50M -j 1`
#     (and --memory 15M / 400M, to show what the budget governs)
#   - a JSON Lines collection whose one line is 300 MB of zeros (`ingest --jsonl`)
#   - 300 MB of zeros as a batch (`search --batch -`) and as standard input (`ingest -`)
#   - `ingest -j 256` of a generated 20 MB corpus (threads are capped at one per 15 MB of --memory)
#
# Usage: bench/memory.sh [PARAFIND_BINARY]   (default: target/release/parafind, built here)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=$(parafind_binary "${1:-}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - <<'PY'
import os, random
with open("tiny.txt", "w") as f:
    f.write("".join("w%d\n\n" % (i % 1000) for i in range(4_000_000)))
random.seed(7)
words = "alliance treaty deterrence nuclear peninsula security troops trade summit".split()
os.makedirs("corpus", exist_ok=True)
for n in range(1300):
    with open("corpus/f%04d.txt" % n, "w") as f:
        paras = (" ".join(random.choice(words) for _ in range(60)) for _ in range(25))
        f.write("\n\n".join(paras) + "\n")
PY
head -c 300000000 /dev/zero >zeros
cp zeros zeros.jsonl
run() {
  rm -rf idx
  /usr/bin/time -f "%e s wall, %M KB peak RSS" bash -c "$1" 2>&1 >/dev/null | tail -1
}
echo "binary: $bin"
echo "corpus for -j: $(du -sh corpus | cut -f1)"
for memory in 15M 50M 400M; do
  echo "ingest --memory $memory -j 1 tiny.txt (4M paragraphs, 24 MB): $(run "'$bin' --index idx ingest --memory $memory -j 1 tiny.txt")"
done
echo "ingest --jsonl zeros.jsonl (one 300 MB line):        $(run "'$bin' --index idx ingest --jsonl zeros.jsonl")"
"$bin" --index sidx ingest corpus >/dev/null 2>&1
echo "search --batch - < zeros (one 300 MB line):           $(run "'$bin' --index sidx search --batch - <zeros; true")"
echo "ingest - < zeros (300 MB on standard input):          $(run "'$bin' --index idx ingest - --name z.txt <zeros; true")"
echo "ingest -j 256 corpus:                                 $(run "'$bin' --index idx ingest -j 256 corpus")"
echo "ingest -j 2 corpus:                                   $(run "'$bin' --index idx ingest -j 2 corpus")"
