#!/usr/bin/env bash
# Hits are printed as they are read: peak memory and time to the first bytes of a search whose
# hits carry huge context (#24 item 4). Builds release, makes one file of 2,000 paragraphs of
# ~1 KB, and runs `search --json -n 2000 -C 65535` (every hit's context is the whole file, 2 MB)
# read to the end, and cut off after 100 bytes as `| head -c 100` does.
#
# Usage: bench/streaming.sh [PARAFIND_BINARY]   (default: target/release/parafind, built here)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=$(parafind_binary "${1:-}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.txt" <<'PY'
import sys
para = "needle " + "filler words here " * 57
open(sys.argv[1], "w").write("\n\n".join(para for _ in range(2000)) + "\n")
PY
cd "$work"
"$bin" --index idx ingest big.txt >/dev/null 2>&1
run() {
  /usr/bin/time -f "%e s wall, %M KB peak RSS" bash -c "$1" 2>&1 >/dev/null | tail -1
}
echo "binary: $bin"
echo "search --json -n 2000 -C 65535 needle > /dev/null:    $(run "'$bin' --index idx search --json -n 2000 -C 65535 needle >/dev/null")"
echo "search --json -n 2000 -C 65535 needle | head -c 100:  $(run "'$bin' --index idx search --json -n 2000 -C 65535 needle | head -c 100 >/dev/null")"
echo "search -n 2000 -C 65535 needle (human) | head -c 100: $(run "'$bin' --index idx search -n 2000 -C 65535 needle | head -c 100 >/dev/null")"
