#!/usr/bin/env bash
# Prints, as a Markdown table, the worst ULP error the test suite measured for each functor,
# parameter set and quantity, over every path (scalar, each SIMD arch, each Eigen layout) and every
# test binary (one per -march) in the build. Usage: tools/ulp-report.sh [BUILD_DIR]  (after
# tools/test.sh; the tests print these lines only when ACTIV_REPORT_ULP is set).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
for binary in "$build"/tests/activ_tests_*; do
  ACTIV_REPORT_ULP=1 "$binary" >/dev/stdout 2>/dev/null || true
done | awk '
  $1 == "ULP" {
    key = $2 " " $4
    if (!(key in worst) || $5 + 0 > worst[key] + 0) { worst[key] = $5; at[key] = $6 }
  }
  END {
    rank["forward"] = 1; rank["derivative"] = 2; rank["backward"] = 3; rank["value"] = 4
    for (key in worst) {
      split(key, part, " ")
      print part[1], (part[2] in rank) ? rank[part[2]] : 5, part[2], worst[key], at[key]
    }
  }' | sort -k1,1 -k2,2n | awk '
  BEGIN { print "| function | quantity | max ULP | at x |"; print "|---|---|---:|---:|" }
  { printf "| %s | %s | %.3f | %s |\n", $1, $3, $4, $5 }'
