#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing, configures,
# builds the tests once per target architecture (SSE2, AVX2 where the CPU has it, native) and runs
# them with CTest. Extra arguments go to ctest (for example -R sigmoid).
# Environment: BUILD_DIR (default build), JOBS (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh cmake make g++ libeigen3-dev libxsimd-dev catch2 pkg-config
build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=ON -DACTIV_BUILD_BENCHMARKS=OFF \
  -DACTIV_BUILD_EXAMPLES=ON -DACTIV_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" -j "$jobs" --output-on-failure "$@"
