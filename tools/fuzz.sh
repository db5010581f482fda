#!/usr/bin/env bash
# The libFuzzer targets (tests/fuzz), from a fresh Debian 12 machine. Usage:
#   tools/fuzz.sh [SECONDS]     (default 60; 0: the regression run only)
# Installs what is missing, configures BUILD_DIR (default build/fuzz) with clang++-14 and
# -DACTIV_BUILD_FUZZERS=ON, builds every target, then
#   1. regression: runs each target once over its committed seed corpus and
#      tests/fuzz/regressions/<target>/ (every input ever found to fail), no fuzzing;
#   2. fuzzing: each target in turn for SECONDS on a copy of its seed corpus in a temporary
#      directory (nothing new is written into the repository), printing the executions run.
# Exits nonzero on any finding; the failing inputs are copied to BUILD_DIR/findings/<target>/.
# Environment: BUILD_DIR, JOBS (default: the number of cores), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${BUILD_DIR:-build/fuzz}"
jobs="${JOBS:-$(nproc)}"
targets=(fuzz_elementwise fuzz_softmax)

tools/install-deps.sh clang-14 libclang-rt-14-dev cmake make libeigen3-dev libxsimd-dev
start=$(date +%s)
CXX=clang++-14 cmake -S . -B "$build" -DACTIV_BUILD_FUZZERS=ON -DACTIV_BUILD_TESTS=OFF \
  -DACTIV_BUILD_BENCHMARKS=OFF -DACTIV_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
echo "fuzz: build took $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
found() {  # target, artifact directory
  mkdir -p "$build/findings/$1"
  cp "$2"/* "$build/findings/$1/" 2>/dev/null || true
  echo "fuzz: $1 FOUND a failure; inputs in $build/findings/$1/ (reproduce: $build/tests/fuzz/$1 FILE)" >&2
  failed=1
}

for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  inputs=()
  for dir in "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target"; do
    [ -d "$dir" ] && while IFS= read -r -d '' file; do inputs+=("$file"); done < <(find "$dir" -type f -print0 | sort -z)
  done
  mkdir -p "$work/$target/artifacts"
  if "$binary" -artifact_prefix="$work/$target/artifacts/" "${inputs[@]}" >"$work/$target/regression.log" 2>&1; then
    echo "fuzz: $target regression: ${#inputs[@]} inputs pass"
  else
    tail -n 40 "$work/$target/regression.log" >&2
    found "$target" "$work/$target/artifacts"
  fi
done

if [ "$seconds" -gt 0 ]; then
  for target in "${targets[@]}"; do
    binary="$build/tests/fuzz/$target"
    mkdir -p "$work/$target/corpus"
    cp "tests/fuzz/corpus/$target"/* "$work/$target/corpus/"
    log="$work/$target/fuzz.log"
    # shellcheck disable=SC2086
    if "$binary" "$work/$target/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=30 \
         -print_final_stats=1 -artifact_prefix="$work/$target/artifacts/" ${FUZZ_ARGS:-} >"$log" 2>&1; then
      status=ok
    else
      status=FAILED
      tail -n 60 "$log" >&2
      found "$target" "$work/$target/artifacts"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    corpus=$(find "$work/$target/corpus" -type f | wc -l)
    echo "fuzz: $target $status: ${runs:-?} executions in ${seconds} s (corpus grew to $corpus inputs)"
  done
fi
echo "fuzz: total $(($(date +%s) - start)) s"
exit "$failed"
