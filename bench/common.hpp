// bench/common.hpp — what every benchmark file shares: the inputs, the naming scheme, the timed
// loop and the throughput counters.
//
// Names are machine-parseable: <impl>/<function>/<op>/<type>/<size>, where
//   impl      activ, eigen, std_loop, onednn, xnnpack, sleef, memory
//   function  relu, leaky_relu, prelu, rrelu, elu, selu, sigmoid, tanh, softsign, softplus, swish,
//             hard_swish, softmax, log_softmax (memory: memcpy, scale_nt)
//   op        forward, derivative, backward, backward_from_output
//   type      float, double
//   size      n for elementwise; RxC_axis_order for softmax (256x1024_rowwise_rowmajor, …)
// Items are elements (n, or R·C); bytes count every array read or written once: forward and
// derivative move 2 arrays (x → y), backward and backward_from_output 3 (x or y, dy → dx).
#pragma once

#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace bench {

template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

// n = 4096 fits in L1 (16 KiB of float), 65536 in L2, 262144 in L2/L3, 16M only in DRAM.
inline const std::vector<std::int64_t>& elementwise_sizes() {
  static const std::vector<std::int64_t> sizes = {4096, 65536, 262144, 16777216};
  return sizes;
}

template <class T>
const char* type_name();
template <>
inline const char* type_name<float>() {
  return "float";
}
template <>
inline const char* type_name<double>() {
  return "double";
}

// Inputs uniform in [−8, 8] (where activations do their work) from a fixed seed, the same values
// in float and double. Kept for the whole run: Google Benchmark calls a case several times (to find
// its iteration count, then once per repetition), and 16M draws of mt19937 would dominate.
template <class T>
const Column<T>& inputs(Eigen::Index n, unsigned seed) {
  static std::map<std::pair<Eigen::Index, unsigned>, Column<T>> cache;
  auto found = cache.find({n, seed});
  if (found != cache.end()) return found->second;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> spread(-8, 8);
  Column<T> x(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = static_cast<T>(spread(rng));
  return cache.emplace(std::make_pair(n, seed), std::move(x)).first->second;
}

// The output arrays, shared as the inputs are: every implementation of an elementwise case writes
// the same memory, so the placement of y relative to x is the same for all of them (at n = 4096 a
// load whose address matches a pending store's modulo 4096 waits for it: 4K aliasing). What this
// does not remove is the placement of each loop's code: the same ReLU loop, instantiated twice
// (activ and activ_fast), measured 11.4 and 17.3 Gelem/s at n = 4096 with these shared arrays.
// k names the array: 1 the result (y, f′ or dx), 2 a second one (dx beside y).
template <class T>
Column<T>& outputs(Eigen::Index n, unsigned k) {
  static std::map<std::pair<Eigen::Index, unsigned>, Column<T>> cache;
  auto found = cache.find({n, k});
  if (found != cache.end()) return found->second;
  return cache.emplace(std::make_pair(n, k), Column<T>::Zero(n)).first->second;
}

// Items and bytes per iteration: `items` elements, `arrays` arrays of them read or written once.
inline void account(benchmark::State& state, std::int64_t items, std::size_t element_bytes, int arrays) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * items);
  state.SetBytesProcessed(iterations * items * static_cast<std::int64_t>(element_bytes) * arrays);
}

inline int arrays_of(const std::string& op) { return op == "forward" || op == "derivative" ? 2 : 3; }

// The timed loop: one untimed call first (faults the output pages in, warms the caches and the
// branch predictors), then `body` per iteration with the output kept observable.
template <class Body>
void timed(benchmark::State& state, const void* output, Body&& body) {
  body();
  for (auto _ : state) {
    body();
    benchmark::DoNotOptimize(output);
    benchmark::ClobberMemory();
  }
}

inline std::string name(const std::string& impl, const std::string& function, const std::string& op,
                        const std::string& type, const std::string& size) {
  return impl + "/" + function + "/" + op + "/" + type + "/" + size;
}

// Every case is collected here first, then registered with Google Benchmark by register_cases()
// (bench_main.cpp) in an order that runs the implementations of one function, op, type and size
// back to back, and each type and size as one block with its memory limit: on a shared machine the
// load drifts, and the ratios that the report draws are then between neighbours in time.
struct Case {
  std::string impl, function, op, type, size;
  Eigen::Index elements;  // n, or R·C for softmax
  std::function<void(benchmark::State&)> run;
};

inline std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}

// One case per elementwise size: fn(state, n) sets up and times; the counters follow from the op.
template <class T, class Fn>
void add_elementwise(const std::string& impl, const std::string& function, const std::string& op, Fn fn) {
  const int arrays = arrays_of(op);
  for (const std::int64_t n : elementwise_sizes()) {
    cases().push_back({impl, function, op, type_name<T>(), std::to_string(n), static_cast<Eigen::Index>(n),
                       [fn, n, arrays](benchmark::State& state) {
                         fn(state, static_cast<Eigen::Index>(n));
                         account(state, n, sizeof(T), arrays);
                       }});
  }
}

// ---- softmax shapes ------------------------------------------------------------------------------
struct SoftmaxShape {
  Eigen::Index rows, cols;
  bool colwise;    // each column is a distribution (else each row)
  bool row_major;  // storage order

  std::string label() const {
    return std::to_string(rows) + "x" + std::to_string(cols) + (colwise ? "_colwise" : "_rowwise") +
           (row_major ? "_rowmajor" : "_colmajor");
  }
};

inline const std::vector<SoftmaxShape>& softmax_shapes() {
  static const std::vector<SoftmaxShape> shapes = {
      {256, 1024, false, true}, {32, 32000, false, true}, {1024, 256, true, false}, {1024, 256, true, true}};
  return shapes;
}

template <class T, int Order>
using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>;

// The same inputs as the elementwise cases, laid out as rows × cols in either order.
template <class T, int Order>
Matrix<T, Order> matrix_inputs(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  Matrix<T, Order> x(rows, cols);
  x = inputs<T>(rows * cols, seed).reshaped(rows, cols);
  return x;
}

template <class T, class Fn>
void add_softmax(const std::string& impl, const std::string& function, const std::string& op, const SoftmaxShape& shape,
                 Fn fn) {
  const int arrays = arrays_of(op);
  cases().push_back({impl, function, op, type_name<T>(), shape.label(), shape.rows * shape.cols,
                     [fn, shape, arrays](benchmark::State& state) {
                       fn(state, shape);
                       account(state, shape.rows * shape.cols, sizeof(T), arrays);
                     }});
}

}  // namespace bench
