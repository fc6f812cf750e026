#!/usr/bin/env bash
# Fuzz every target with cargo-fuzz (libFuzzer + AddressSanitizer) on the stable toolchain.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     default: 600 seconds each, all five targets at once
#
# cargo-fuzz needs nightly-only compiler flags; RUSTC_BOOTSTRAP=1 lets the stable compiler accept
# them (cargo-fuzz documents nightly; this avoids fetching another toolchain). Installs
# cargo-fuzz when missing. Crashes land in fuzz/artifacts/TARGET/; turn each into a regression
# test before fixing it. Logs go to fuzz/logs/TARGET.log (executions and coverage at the end).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=${*:-query analyzer paragraphs highlight json_output}
export RUSTC_BOOTSTRAP=1 PATH=$HOME/.cargo/bin:$PATH
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz
cargo fuzz build -O
mkdir -p logs
for target in $targets; do
  cargo fuzz run -O "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 > "logs/$target.log" 2>&1 &
done
status=0
wait || status=$?
for target in $targets; do
  echo "== $target: $(grep -E '^(Done|#[0-9]+ *DONE)' "logs/$target.log" | tail -1)"
  grep -E 'stat::number_of_executed_units|cov:' "logs/$target.log" | tail -2
  ls "artifacts/$target" 2> /dev/null | sed 's/^/  crash: /'
done
exit $status
