#!/usr/bin/env bash
# The whole test suite on the build matrix of docs/testing.md, from a fresh Debian 12 machine:
# installs what is missing (tools/install-deps.sh), then for each part configures its own build
# directory under build/, builds, and runs every CTest test of that build (unit tests per -march,
# examples, consumer project, sweep_reduced). It keeps going after a failed part, prints a table of
# the parts (wall and CPU seconds, tests passed/total, result) and exits nonzero if any part failed.
#
#   tools/test.sh                      the whole matrix (what .ci/run runs)
#   tools/test.sh --quick              GCC, C++17, -march=native only: for local iteration
#   tools/test.sh --part asan,scalar   only these parts (--list names them)
#   tools/test.sh -R sigmoid           any other argument goes to ctest (so does all after --)
#
# Environment: BUILD_DIR (the root of the build directories, default build), JOBS (default: the
# number of cores).
set -uo pipefail
cd "$(dirname "$0")/.."

root=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
# Sanitizer reports with a stack trace; every finding ends its test (-fno-sanitize-recover=all).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}

# ---- the matrix: one line per part ----------------------------------------------------------
# part NAME "DEBIAN PACKAGES" COMMAND...  COMMAND runs in the repository root, with the ctest
# arguments in the array ctest_args, and returns nonzero on failure.
#   cmake_part DIR COMPILER STANDARD ARCHS [CMAKE OPTION...]   ARCHS: ACTIV_TEST_ARCHS, or "auto"
#                                                              (x86-64, haswell, native as the host has them)
declare -A part_packages part_command
part_names=()
part() {
  part_names+=("$1")
  part_packages[$1]=$2
  part_command[$1]=$(printf '%q ' "${@:3}")
}
base_packages="cmake make g++ libeigen3-dev libxsimd-dev catch2 pkg-config"
release=-DCMAKE_BUILD_TYPE=Release
# The sweeps measure every 1024th float pattern here (CMake's default: every 256th), to keep the
# whole matrix well under CI's 90 minutes on a slow day (it took 99 min at every 256th).
sparse=-DACTIV_SWEEP_REDUCED_STRIDE=1024
part gcc-cxx17   "$base_packages" cmake_part gcc-cxx17 g++ 17 auto "$release" "$sparse"
part clang-cxx20 "$base_packages clang-14" cmake_part clang-cxx20 clang++-14 20 native "$release" "$sparse"
part scalar      "$base_packages" cmake_part scalar g++ 20 native "$release" -DACTIV_TEST_NO_SIMD=ON "$sparse"
part asan        "$base_packages clang-14 libclang-rt-14-dev" cmake_part asan clang++-14 17 native \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" "-DACTIV_SANITIZE=address;undefined" \
  "-DACTIV_SWEEP_REDUCED_OPTIONS=--float-stride;4096;--double;62500;--steps;256"
# Parts with their own scripts. The fuzz part replays the fuzzers' seeds and every past finding,
# then fuzzes each target for 60 s (docs/testing.md).
part aarch64 "" tools/test-aarch64.sh
part fuzz "" tools/fuzz.sh 60

# ---- arguments --------------------------------------------------------------------------------
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
selected=()
ctest_args=()
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --part) [ $# -ge 2 ] || { echo "tools/test.sh: --part needs NAME[,NAME]" >&2; exit 2; }
      IFS=, read -r -a names <<<"$2"; selected+=("${names[@]}"); shift ;;
    --part=*) IFS=, read -r -a names <<<"${1#--part=}"; selected+=("${names[@]}") ;;
    --list) printf '%s\n' "${part_names[@]}"; exit 0 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; ctest_args+=("$@"); break ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done
if [ $quick -eq 1 ]; then
  [ ${#selected[@]} -eq 0 ] || { echo "tools/test.sh: --quick and --part exclude each other" >&2; exit 2; }
  part quick "$base_packages" cmake_part gcc-cxx17 g++ 17 native "$release"
  selected=(quick)
fi
[ ${#selected[@]} -gt 0 ] || selected=("${part_names[@]}")
for name in "${selected[@]}"; do
  if [ -z "${part_command[$name]+set}" ]; then
    echo "tools/test.sh: no part '$name' (parts: ${part_names[*]})" >&2
    exit 2
  fi
done

# ---- running a part --------------------------------------------------------------------------
# cmake_part DIR COMPILER STANDARD ARCHS [OPTION...]: configure $root/DIR, build, run ctest.
cmake_part() {
  local dir=$root/$1 compiler=$2 standard=$3 archs=$4
  shift 4
  local arch_option=-DACTIV_TEST_ARCHS=$archs
  [ "$archs" = auto ] && arch_option=-UACTIV_TEST_ARCHS  # recomputed: activ_default_archs
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_CXX_STANDARD="$standard" \
    -DCMAKE_CXX_STANDARD_REQUIRED=ON "$arch_option" -DACTIV_BUILD_TESTS=ON -DACTIV_BUILD_BENCHMARKS=OFF \
    -DACTIV_BUILD_EXAMPLES=ON -DACTIV_WERROR=ON "$@" >/dev/null || return 1
  cmake --build "$dir" -j "$jobs" || return 1
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure "${ctest_args[@]}"
}

# cpu_now = the CPU time (user + system, seconds) of this shell's finished children so far. `times`
# must run in this shell itself: in a command substitution it would report the subshell's children.
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
children_cpu() {
  times >"$times_file"
  cpu_now=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; ++i) { split($i, t, "m"); sub("s", "", t[2]); s += t[1] * 60 + t[2] } print s }' "$times_file")
}

packages=()
for name in "${selected[@]}"; do
  for package in ${part_packages[$name]}; do packages+=("$package"); done
done
if [ ${#packages[@]} -gt 0 ]; then
  tools/install-deps.sh $(printf '%s\n' "${packages[@]}" | sort -u) || exit 1
fi
mkdir -p "$root"

summary=()
failed=0
for name in "${selected[@]}"; do
  log=$root/$name.log
  echo "==== tools/test.sh: part $name: ${part_command[$name]}" | tee "$log"
  start=$(date +%s.%N)
  children_cpu
  cpu_start=$cpu_now
  eval "${part_command[$name]}" 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
  children_cpu
  cpu=$(awk -v a="$cpu_start" -v b="$cpu_now" 'BEGIN { printf "%.0f", b - a }')
  # ctest's summary line, "97% tests passed, 3 tests failed out of 104" (the last one, if several).
  tests=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 |
    awk '{ printf "%d/%d", $NF - $4, $NF }')
  [ -n "$tests" ] || tests=-
  if [ $status -eq 0 ]; then result=ok; else result="FAILED ($status)"; failed=1; fi
  summary+=("$(printf '%-12s %8s %8s %9s  %s' "$name" "$wall" "$cpu" "$tests" "$result")")
done

{
  echo
  echo "tools/test.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, JOBS=$jobs (logs: $root/PART.log)"
  printf '%-12s %8s %8s %9s  %s\n' part "wall s" "cpu s" passed result
  printf '%s\n' "${summary[@]}"
} | tee "$root/test-summary.txt"
exit $failed
