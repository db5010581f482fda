#!/usr/bin/env bash
# The benchmarks, from a fresh Debian 12 machine, in one command: installs what is missing (the
# build, and the peers libdnnl-dev, libxnnpack-dev, libsleef-dev so that the comparisons are there),
# configures, builds with -march=native, runs, and prints the table of tools/perf-report.py.
#
#   tools/bench.sh                 quick pass (a few minutes): float; forward, backward and
#                                  backward_from_output; n = 4096, 65536, 16M; softmax forward and
#                                  backward on every shape; every peer; 3 repetitions of ≥ 0.05 s
#   tools/bench.sh --full          the whole suite (float and double, every op and size, 1210
#                                  cases): 5 repetitions of ≥ 0.25 s (about 40 minutes)
#   tools/bench.sh --docs          also write the table to docs/performance.md (an AVX-512 build), or
#                                  docs/performance-<arch>.md for another arch (performance-avx2.md);
#                                  7 repetitions instead of 3 (about 6 minutes)
#   tools/bench.sh --note=TEXT     a line for the table's header (e.g. "Preliminary: …")
#   other arguments go to Google Benchmark, e.g. --benchmark_filter=sigmoid (replaces the subset)
#
# Reported figures are medians of the repetitions, which run interleaved in one random order
# (--benchmark_enable_random_interleaving): on a shared, noisy host a loud stretch then falls on
# activ and its peers alike, not on whichever cases ran during it (on the AVX-512 host of
# docs/performance.md, one binary's cases moved by 0.5–2.3× between two runs minutes apart, in
# stretches that slowed a whole run of consecutive cases). Every peer runs on one thread:
# oneDNN through OMP_NUM_THREADS=1 (and omp_set_num_threads(1) in the binary), XNNPACK with no
# threadpool.
# Environment: BUILD_DIR (default build-bench), JOBS (build jobs, default nproc), NICE=1 to run
# the benchmarks under nice on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="tools/bench.sh"
[ $# -eq 0 ] || command_line+=$(printf " %q" "$@")
repetitions=3
min_time=0.05
filter='/(forward|backward|backward_from_output)/float/(4096|65536|16777216|[0-9]+x[0-9]+_[a-z_]+)/'
mode=quick
user_filter=
docs=()
note=()
args=()
for arg in "$@"; do
  case "$arg" in
    --full) repetitions=5; min_time=0.25; mode=full ;;
    --docs) docs=(--write); [ "$mode" = full ] || repetitions=7 ;;
    --note=*) note=(--note "${arg#--note=}") ;;
    --benchmark_filter=*) user_filter="${arg#--benchmark_filter=}" ;;
    *) args+=("$arg") ;;
  esac
done
[ "$mode" = full ] && filter=""
[ -n "$user_filter" ] && filter=$user_filter

tools/install-deps.sh cmake make g++ pkg-config python3 libeigen3-dev libxsimd-dev libbenchmark-dev
# The peers are optional for the build (CMake skips what it does not find) but wanted here.
tools/install-deps.sh libdnnl-dev libxnnpack-dev libpthreadpool-dev libsleef-dev ||
  echo "activ: could not install every peer; the benchmarks run without the missing ones" >&2

build=${BUILD_DIR:-build-bench}
configure_log=$(mktemp)
trap 'rm -f "$configure_log"' EXIT
if ! cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DACTIV_BUILD_TESTS=OFF -DACTIV_BUILD_BENCHMARKS=ON \
  -DACTIV_BUILD_EXAMPLES=OFF >"$configure_log"; then
  cat "$configure_log"
  exit 1
fi
grep "activ benchmarks" "$configure_log" || true  # which peers were found
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target activ_bench

results="$build/bench-$mode.json"
runner=()
[ "${NICE:-0}" = 1 ] && runner=(nice)
start=$SECONDS
OMP_NUM_THREADS=1 "${runner[@]}" "$build/bench/activ_bench" \
  --benchmark_filter="$filter" \
  --benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time" \
  --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true --benchmark_display_aggregates_only=true \
  --benchmark_counters_tabular=true \
  --benchmark_out="$results" --benchmark_out_format=json "${args[@]}"
echo "activ: benchmarks ran in $((SECONDS - start)) s; results in $results" >&2
echo
if [ ${#docs[@]} -gt 0 ]; then
  # The page follows the SIMD arch the build ran (Google Benchmark's context in the JSON).
  arch=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["context"].get("xsimd_default_arch", ""))' "$results")
  case "$arch" in
    avx512*) docs+=(docs/performance.md) ;;
    *avx2*) docs+=(docs/performance-avx2.md) ;;
    *) docs+=("docs/performance-${arch//[^a-z0-9.]/-}.md") ;;
  esac
fi
python3 tools/perf-report.py "$results" --command "$command_line" --interleaved "${docs[@]}" "${note[@]}"
