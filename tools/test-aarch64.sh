#!/usr/bin/env bash
# The test suite on AArch64 (xsimd's NEON path, neon64), from an x86-64 Debian 12 machine: installs
# what is missing, cross-compiles the tests and examples with g++-aarch64-linux-gnu
# (cmake/toolchains/aarch64-linux-gnu.cmake; one test binary, -march default = armv8-a) into
# build/aarch64 and runs them with CTest under qemu-user (qemu-aarch64). The tests whose subject does
# not depend on the target (activ_tests_once, the no-exceptions pair) are left to the x86 parts
# (ACTIV_TEST_TARGET_INDEPENDENT=OFF), and the softmax tests take shorter distributions
# (ACTIV_TEST_EMULATED, docs/testing.md). Extra arguments go to ctest (for example -R sigmoid).
# Prints the wall time of the build and of the test run.
# Environment: BUILD_DIR (default build/aarch64), JOBS (default: the number of cores),
# ACTIV_SWEEP_STRIDE (default 65536: the emulated sweep_reduced measures every 65536th float pattern
# instead of every 256th, and 250000 random doubles instead of 10^6, see tools/sweep/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh cmake make g++ libeigen3-dev libxsimd-dev catch2 pkg-config \
  g++-aarch64-linux-gnu qemu-user
build=${BUILD_DIR:-build/aarch64}
jobs=${JOBS:-$(nproc)}
start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=ON -DACTIV_BUILD_BENCHMARKS=OFF \
  -DACTIV_BUILD_EXAMPLES=ON -DACTIV_WERROR=ON -DACTIV_TEST_TARGET_INDEPENDENT=OFF \
  -DACTIV_SWEEP_REDUCED_STRIDE="${ACTIV_SWEEP_STRIDE:-65536}" \
  "-DACTIV_SWEEP_REDUCED_OPTIONS=--double;250000" >/dev/null
cmake --build "$build" -j "$jobs"
built=$(date +%s)
status=0
# The documented subset under emulation: the spirals example trains once (relu), not three times
# (tanh and swish took 200–350 s each under qemu; their activations are in the unit tests).
# ACTIV_AARCH64_ALL=1 runs them too.
subset=()
[ "${ACTIV_AARCH64_ALL:-0}" = 1 ] || subset=(-E 'example_mlp_spirals_(tanh|swish)')
ctest --test-dir "$build" -j "$jobs" --output-on-failure "${subset[@]}" "$@" || status=$?
end=$(date +%s)
echo "aarch64 (qemu-user): build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s"
exit $status
