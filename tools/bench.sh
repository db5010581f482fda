#!/usr/bin/env bash
# The benchmarks, from a fresh Debian 12 machine: installs what is missing, configures, builds
# with -march=native and runs. By default a quick pass (3 repetitions, medians reported: a few
# minutes); --full runs 10 repetitions of longer measurements. Other arguments go to Google
# Benchmark (for example --benchmark_filter=sigmoid). Environment: BUILD_DIR (default build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
repetitions=3
min_time=0.1
args=()
for arg in "$@"; do
  case "$arg" in
    --full) repetitions=10; min_time=0.5 ;;
    *) args+=("$arg") ;;
  esac
done
tools/install-deps.sh cmake make g++ libeigen3-dev libxsimd-dev libbenchmark-dev
build=${BUILD_DIR:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=OFF -DACTIV_BUILD_BENCHMARKS=ON -DACTIV_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target activ_bench
"$build/bench/activ_bench" --benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time" \
  --benchmark_report_aggregates_only=true --benchmark_display_aggregates_only=true \
  --benchmark_counters_tabular=true "${args[@]}"
