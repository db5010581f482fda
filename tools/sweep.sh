#!/usr/bin/env bash
# The accuracy sweep, from a fresh Debian 12 machine: installs what is missing, builds
# tools/sweep/activ_sweep with -march=native in Release, then runs the full float sweep (all 2^32
# float bit patterns) and the double sweep (10^8 random doubles plus special values and kink
# neighbourhoods) on the best SIMD arch, under nice, and prints the Markdown table for
# docs/accuracy.md. About 15–25 minutes on two cores (the wall time of each sweep is printed).
# Usage: tools/sweep.sh [N]   (N random doubles, default 1e8); extra activ_sweep options through
# SWEEP_ARGS (for example SWEEP_ARGS="--arch all --scalar" to measure every path).
# Environment: BUILD_DIR (default build-sweep), JOBS (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh cmake make g++ libeigen3-dev libxsimd-dev catch2
build=${BUILD_DIR:-build-sweep}
jobs=${JOBS:-$(nproc)}
count=${1:-1e8}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=ON -DACTIV_BUILD_BENCHMARKS=OFF \
  -DACTIV_BUILD_EXAMPLES=OFF -DACTIV_TEST_ARCHS=native >/dev/null
cmake --build "$build" -j "$jobs" --target activ_sweep_native
# shellcheck disable=SC2086
nice "$build/tools/sweep/activ_sweep_native" --float-full --double "$count" --markdown ${SWEEP_ARGS:-}
