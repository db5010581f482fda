// bench/bench_main.cpp — the one benchmark binary: registers every family (peers only where CMake
// found them, ACTIV_BENCH_WITH_*), records how the run was set up in the benchmark context, runs.
#include "common.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace {

// Position of `value` in `order` (unknown values last, in name order).
std::pair<std::size_t, std::string> rank(const std::vector<std::string>& order, const std::string& value) {
  const auto found = std::find(order.begin(), order.end(), value);
  return {static_cast<std::size_t>(found - order.begin()), value};
}

// Registers the collected cases by type, then size (elementwise sizes, then softmax shapes), then
// function, op and implementation (see bench::Case).
void register_cases() {
  static const std::vector<std::string> types = {"float", "double"};
  static const std::vector<std::string> functions = {
      "relu",     "leaky_relu", "prelu", "rrelu",      "elu",     "selu",        "sigmoid", "tanh",
      "softsign", "softplus",   "swish", "hard_swish", "softmax", "log_softmax", "memcpy",  "scale_nt"};
  static const std::vector<std::string> ops = {"forward", "derivative", "backward", "backward_from_output"};
  static const std::vector<std::string> impls = {"activ", "eigen", "std_loop", "onednn", "xnnpack", "sleef", "memory"};
  std::vector<bench::Case>& all = bench::cases();
  auto key = [&](const bench::Case& c) {
    const bool shape = c.size.find('x') != std::string::npos;
    return std::make_tuple(rank(types, c.type), shape, c.elements, c.size, rank(functions, c.function), rank(ops, c.op),
                           rank(impls, c.impl));
  };
  std::stable_sort(all.begin(), all.end(), [&](const bench::Case& a, const bench::Case& b) { return key(a) < key(b); });
  for (const bench::Case& c : all) {
    benchmark::RegisterBenchmark(bench::name(c.impl, c.function, c.op, c.type, c.size).c_str(), c.run)->UseRealTime();
  }
}

void add_context(const std::vector<std::pair<std::string, std::string>>& lines) {
  for (const auto& [key, value] : lines) benchmark::AddCustomContext(key, value);
}

}  // namespace

int main(int argc, char** argv) {
  std::string peers = "eigen std_loop memory";
  bench::register_elementwise();
  bench::register_softmax();
  bench::register_memory();
  add_context(bench::memory_context());
#if ACTIV_BENCH_WITH_ONEDNN
  bench::register_onednn();
  add_context(bench::onednn_context());
  peers += " onednn";
#endif
#if ACTIV_BENCH_WITH_XNNPACK
  bench::register_xnnpack();
  add_context(bench::xnnpack_context());
  peers += " xnnpack";
#endif
#if ACTIV_BENCH_WITH_SLEEF
  bench::register_sleef();
  add_context(bench::sleef_context());
  peers += " sleef";
#endif
  benchmark::AddCustomContext("activ_peers", peers);
  // activ's SIMD path is the best arch the compile flags enable, i.e. xsimd's default arch.
  benchmark::AddCustomContext("bench_march", ACTIV_BENCH_MARCH);
  benchmark::AddCustomContext("xsimd_default_arch", xsimd::default_arch::name());
  register_cases();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
