// bench/bench_main.cpp — the one benchmark binary: registers every family (peers only where CMake
// found them, ACTIV_BENCH_WITH_*), records how the run was set up in the benchmark context, runs.
#include "registry.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

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
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
