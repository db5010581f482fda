// bench/bench_threads.cpp — 1 → 2 thread scaling of activ's OpenMP split (ACTIV_OPENMP, built
// only where CMake finds OpenMP): forward of a few functions at n = 16M and 262144, float, with
// omp_set_num_threads(1) and (2) in the same run. Names: activ/<function>/forward/float/<n>/threads:<t>.
#define ACTIV_OPENMP 1
#include <activ/activ.hpp>

#include <benchmark/benchmark.h>
#include <omp.h>

#include <random>
#include <string>

namespace {

template <class F>
void run(benchmark::State& state, const F& f) {
  const Eigen::Index n = state.range(0);
  omp_set_num_threads(static_cast<int>(state.range(1)));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> spread(-8, 8);
  Eigen::ArrayXf x(n), y(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = spread(rng);
  f.forward(x, y);
  for (auto _ : state) {
    f.forward(x, y);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * n * 8);
}

template <class F>
void add(const std::string& name, const F& f) {
  benchmark::RegisterBenchmark(("activ/" + name + "/forward/float").c_str(),
                               [f](benchmark::State& state) { run(state, f); })
      ->ArgNames({"", "threads"})
      ->Args({262144, 1})
      ->Args({262144, 2})
      ->Args({16777216, 1})
      ->Args({16777216, 2})
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  add("relu", activ::ReLU<float>{});
  add("sigmoid", activ::Sigmoid<float>{});
  add("sigmoid_fast", activ::Sigmoid<float, activ::fast>{});
  add("tanh", activ::Tanh<float>{});
  add("swish", activ::Swish<float>{});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
