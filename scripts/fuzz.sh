#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ one after the other (never two at once), each for the
# given number of seconds, at the lowest CPU priority, and prints each run's final figures
# (executions, coverage, crashes) as a Markdown table row for fuzz/RESULTS.md.
#   scripts/fuzz.sh [--minimize] [SECONDS] [TARGET...]   (default: 30 s, every target)
#   npm run fuzz:ci              every target for 30 s
#   npm run fuzz -- 600          every target for 10 minutes
# Each run starts from the committed seeds (fuzz/corpus/<target>) and grows a scratch corpus
# in fuzz/target/corpus/<target>; --minimize then merges into the committed corpus the fewest
# inputs that cover what the run reached beyond it. A crash stops that target's run, fails the script at the end and
# leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

minimize=0
if [ "${1:-}" = "--minimize" ]; then minimize=1; shift; fi
seconds=${1:-30}
shift || true
case "$seconds" in ''|*[!0-9]*) echo "fuzz: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

bash scripts/setup.sh --fuzz >/dev/null
nightly=$(awk -F= '/^FUZZ_NIGHTLY=/ { print $2 }' scripts/setup.sh)
export PATH="$PWD/.tools/bin:$PATH" CARGO_INCREMENTAL=0

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +"$nightly" fuzz list)

# Only the targets asked for: the response-decoding one alone takes minutes to build.
for target in "${targets[@]}"; do nice -n 19 cargo +"$nightly" fuzz build -O "$target"; done
failed=()
echo "| target | seconds asked | seconds run | executions | exec/s | cov | ft | corpus | crashes |"
echo "|---|---|---|---|---|---|---|---|---|"
for target in "${targets[@]}"; do
  scratch="fuzz/target/corpus/$target"
  log="fuzz/target/$target.log"
  mkdir -p "$scratch" "fuzz/corpus/$target"
  status=0
  started=$SECONDS
  nice -n 19 cargo +"$nightly" fuzz run -O "$target" "$scratch" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=1024 -timeout=10 >"$log" 2>&1 || status=$?
  ran=$((SECONDS - started))
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -n 1 || true)
  field() { sed -nE "s/.*[[:space:]]$1: ([0-9]+).*/\1/p" <<<"$done_line"; }
  execs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -n 1)
  rate=$(sed -nE 's/^stat::average_exec_per_sec: +([0-9]+)/\1/p' "$log" | tail -n 1)
  crashes=0
  if [ "$status" != 0 ]; then
    crashes=1
    failed+=("$target (see $log)")
  fi
  echo "| $target | $seconds | $ran | ${execs:-?} | ${rate:-?} | $(field cov) | $(field ft) | $(field corp | head -n 1) | $crashes |"
  if [ "$minimize" = 1 ] && [ "$status" = 0 ]; then
    # libFuzzer's set-cover merge copies into the first directory the fewest inputs of the
    # run that reach the features the committed ones do not.
    nice -n 19 cargo +"$nightly" fuzz run -O "$target" "fuzz/corpus/$target" "$scratch" -- -set_cover_merge=1 >>"$log" 2>&1
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: crashed: %s\n' "${failed[@]}" >&2
  exit 1
fi
