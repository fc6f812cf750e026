#!/usr/bin/env bash
# Batch-mode throughput on the essay: N queries (the essay's words, every fifth one a phrase of
# two neighbouring words) through one `parafind search --batch --json` process, top-10 hits each,
# with highlights. Prints queries per second. Usage: bench/batch_essay.sh [N] (default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
cargo build --release --quiet
bin=target/release/parafind
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --index "$work/index" ingest corpus 2>/dev/null
python3 - "$n" > "$work/queries.txt" <<'PY'
import re, sys
n = int(sys.argv[1])
words = re.findall(r"[A-Za-z]{3,}", open("corpus/us-korea-alliance.txt", encoding="utf-8").read())
for i in range(n):
    w = words[i % len(words)]
    if i % 5 == 4:
        print(f'"{w} {words[(i + 1) % len(words)]}"')
    else:
        print(w)
PY
start=$(date +%s.%N)
"$bin" --index "$work/index" search --batch "$work/queries.txt" --json > "$work/out.jsonl" || [ $? -eq 1 ]
end=$(date +%s.%N)
python3 - "$n" "$start" "$end" "$work/out.jsonl" <<'PY'
import json, sys
n, start, end, out = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
last = json.loads(open(out).read().splitlines()[-1])
secs = end - start
print(f"{n} queries in {secs:.3f} s: {n / secs:,.0f} queries/s "
      f"(matched {last['matched']}, failed {last['failed']}, whole process incl. start-up)")
PY
