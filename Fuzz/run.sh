#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target for FUZZ_SECONDS (default 60) and prints a table of
# what it did. The seeds in Fuzz/corpus/<target> are read, never written: what libFuzzer finds
# goes to .build/fuzz/corpus/<target>, a crashing input to .build/fuzz/artifacts/<target>-crash-…
# (replay one with: FUZZ_TARGET=<target> .build/fuzz/release/apprelease-fuzz <file>).
# Usage: Fuzz/run.sh [target ...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
binary=.build/fuzz/release/apprelease-fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json yaml watch selector kubeconfig validation)
mkdir -p .build/fuzz/artifacts
printf '%-11s %12s %8s %10s %8s %8s  %s\n' target executions seconds "exec/s" corpus "rss MB" result
failed=0
for target in "${targets[@]}"; do
  mkdir -p ".build/fuzz/corpus/$target"
  log=".build/fuzz/$target.log"
  result=ok
  FUZZ_TARGET="$target" "$binary" ".build/fuzz/corpus/$target" "Fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=".build/fuzz/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1 || { result="FAILED (see $log)"; failed=1; }
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
  runs=$(stat number_of_executed_units); runs=${runs:-0}
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -n 1); took=${took:-$seconds}
  printf '%-11s %12s %8s %10s %8s %8s  %s\n' "$target" "$runs" "$took" "$(( runs / (took > 0 ? took : 1) ))" \
    "$(ls ".build/fuzz/corpus/$target" "Fuzz/corpus/$target" | wc -l)" "$(stat peak_rss_mb)" "$result"
done
exit $failed
