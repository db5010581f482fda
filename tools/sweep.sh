#!/usr/bin/env bash
# The accuracy sweep, from a fresh Debian 12 machine: installs what is missing, builds
# tools/sweep/activ_sweep with -march=native in Release and runs it under nice. Without arguments
# it runs the full float sweep (all 2^32 float bit patterns) and the double sweep (10^8 random
# doubles plus special values and kink neighbourhoods) on the best SIMD arch and prints the
# Markdown table for docs/accuracy.md (about half an hour on two busy cores; each sweep prints its
# wall time). Any arguments replace those: tools/sweep.sh --reduced --arch all --scalar, or
# tools/sweep.sh --double 1e7 --only Swish (see activ_sweep --help).
# Environment: BUILD_DIR (default build-sweep), JOBS (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh cmake make g++ libeigen3-dev libxsimd-dev catch2
build=${BUILD_DIR:-build-sweep}
jobs=${JOBS:-$(nproc)}
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--float-full --double 1e8 --markdown)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=ON -DACTIV_BUILD_BENCHMARKS=OFF \
  -DACTIV_BUILD_EXAMPLES=OFF -DACTIV_TEST_ARCHS=native >/dev/null
cmake --build "$build" -j "$jobs" --target activ_sweep_native
nice "$build/tools/sweep/activ_sweep_native" "${args[@]}"
