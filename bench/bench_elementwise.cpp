// bench/bench_elementwise.cpp — forward and backward of every elementwise functor, float and
// double, at n = 4096 (in L1) and n = 1M (beyond L2), and softmax / log-softmax forward and
// backward on 256×1000 and 32×32000 (rowwise, row-major) and 1000×256 (colwise, column-major and
// row-major), with peers measured in the same run: a plain scalar std:: loop and Eigen's own array
// expressions for the same math.
//
// Names: <family>/<function>/<op>/<type>/<n or shape>. Items are elements; bytes count every array
// read and written once (forward: x and y; backward: x, dy and dx).
#include <activ/activ.hpp>

#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include <cmath>
#include <random>
#include <string>

namespace {

template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

// Inputs spread over the range where activations do their work, fixed across runs.
template <class T>
Column<T> inputs(Eigen::Index n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> spread(-8, 8);
  Column<T> x(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = static_cast<T>(spread(rng));
  return x;
}

void account(benchmark::State& state, std::size_t element_bytes, int arrays) {
  const auto n = static_cast<std::int64_t>(state.range(0));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * n * static_cast<std::int64_t>(element_bytes) *
                          arrays);
}

template <class F>
void activ_forward(benchmark::State& state, F f) {
  using T = typename F::Scalar;
  const Column<T> x = inputs<T>(state.range(0), 1);
  Column<T> y(x.size());
  for (auto _ : state) {
    f.forward(x, y);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  account(state, sizeof(T), 2);
}

template <class F>
void activ_backward(benchmark::State& state, F f) {
  using T = typename F::Scalar;
  const Column<T> x = inputs<T>(state.range(0), 1);
  const Column<T> dy = inputs<T>(state.range(0), 2);
  Column<T> dx(x.size());
  for (auto _ : state) {
    f.backward(x, dy, dx);
    benchmark::DoNotOptimize(dx.data());
    benchmark::ClobberMemory();
  }
  account(state, sizeof(T), 3);
}

// A peer: any callable (x, y) filling y from x.
template <class T, class Body>
void peer_forward(benchmark::State& state, Body body) {
  const Column<T> x = inputs<T>(state.range(0), 1);
  Column<T> y(x.size());
  for (auto _ : state) {
    body(x, y);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  account(state, sizeof(T), 2);
}

// The plain loops a user would write with <cmath>.
template <class T, class Op>
auto scalar_loop(Op op) {
  return [op](const Column<T>& x, Column<T>& y) {
    const T* in = x.data();
    T* out = y.data();
    for (Eigen::Index i = 0, n = x.size(); i < n; ++i) out[i] = op(in[i]);
  };
}

const std::vector<std::int64_t> sizes = {4096, 1 << 20};

template <class Fn>
void add(const std::string& name, Fn fn) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), fn);
  for (auto n : sizes) b->Arg(n);
  b->UseRealTime();
}

template <class T>
void register_all(const std::string& type) {
  auto functor = [&](const std::string& name, auto f) {
    add("activ/" + name + "/forward/" + type, [f](benchmark::State& s) { activ_forward(s, f); });
    add("activ/" + name + "/backward/" + type, [f](benchmark::State& s) { activ_backward(s, f); });
  };
  functor("relu", activ::ReLU<T>{});
  functor("leaky_relu", activ::LeakyReLU<T>{});
  functor("prelu", activ::PReLU<T>{});
  functor("rrelu", activ::RReLU<T>{});
  functor("elu", activ::ELU<T>{});
  functor("selu", activ::SELU<T>{});
  functor("sigmoid", activ::Sigmoid<T>{});
  functor("tanh", activ::Tanh<T>{});
  functor("softsign", activ::Softsign<T>{});
  functor("softplus", activ::Softplus<T>{});
  functor("swish", activ::Swish<T>{});
  functor("hard_swish", activ::HardSwish<T>{});

  auto peer = [&](const std::string& family, const std::string& name, auto body) {
    add(family + "/" + name + "/forward/" + type, [body](benchmark::State& s) { peer_forward<T>(s, body); });
  };
  peer("std_loop", "relu", scalar_loop<T>([](T v) { return v > T(0) ? v : T(0); }));
  peer("std_loop", "sigmoid", scalar_loop<T>([](T v) { return T(1) / (T(1) + std::exp(-v)); }));
  peer("std_loop", "tanh", scalar_loop<T>([](T v) { return std::tanh(v); }));
  peer("std_loop", "elu", scalar_loop<T>([](T v) { return v > T(0) ? v : std::expm1(v); }));
  peer("std_loop", "softplus", scalar_loop<T>([](T v) { return std::log1p(std::exp(v)); }));
  peer("std_loop", "swish", scalar_loop<T>([](T v) { return v / (T(1) + std::exp(-v)); }));
  // Fused into an Eigen expression (x.unaryExpr(f) on 2·x, no temporary) against the same work
  // through forward() on a temporary.
  peer("activ_expression", "tanh",
       [](const Column<T>& x, Column<T>& y) { y = (x * T(2)).unaryExpr(activ::Tanh<T>{}); });
  peer("activ_temporary", "tanh", [](const Column<T>& x, Column<T>& y) {
    const Column<T> t = x * T(2);
    activ::Tanh<T>{}.forward(t, y);
  });
  peer("activ_expression", "sigmoid",
       [](const Column<T>& x, Column<T>& y) { y = (x * T(2)).unaryExpr(activ::Sigmoid<T>{}); });
  peer("activ_temporary", "sigmoid", [](const Column<T>& x, Column<T>& y) {
    const Column<T> t = x * T(2);
    activ::Sigmoid<T>{}.forward(t, y);
  });
  peer("eigen", "relu", [](const Column<T>& x, Column<T>& y) { y = x.max(T(0)); });
  peer("eigen", "sigmoid", [](const Column<T>& x, Column<T>& y) { y = x.logistic(); });
  peer("eigen", "tanh", [](const Column<T>& x, Column<T>& y) { y = x.tanh(); });
  peer("eigen", "elu", [](const Column<T>& x, Column<T>& y) { y = (x > T(0)).select(x, x.exp() - T(1)); });
  peer("eigen", "softsign", [](const Column<T>& x, Column<T>& y) { y = x / (T(1) + x.abs()); });
  peer("eigen", "swish", [](const Column<T>& x, Column<T>& y) { y = x * x.logistic(); });
}

// ---- softmax ---------------------------------------------------------------------------------
template <class T, int Order>
using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>;

template <class T, int Order>
Matrix<T, Order> matrix_inputs(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  Matrix<T, Order> x(rows, cols);
  x = Eigen::Map<const Column<T>>(inputs<T>(rows * cols, seed).data(), rows * cols).reshaped(rows, cols);
  return x;
}

// Forward (x → y) or backward (y, dy → dx) of a softmax functor on a rows × cols array.
template <class F, int Order>
void softmax_case(benchmark::State& state, F f, Eigen::Index rows, Eigen::Index cols, bool backward) {
  using T = typename F::Scalar;
  const Matrix<T, Order> x = matrix_inputs<T, Order>(rows, cols, 1);
  const Matrix<T, Order> dy = matrix_inputs<T, Order>(rows, cols, 2);
  Matrix<T, Order> y(rows, cols), dx(rows, cols);
  f.forward(x, y);
  for (auto _ : state) {
    if (backward) {
      f.backward(y, dy, dx);
      benchmark::DoNotOptimize(dx.data());
    } else {
      f.forward(x, y);
      benchmark::DoNotOptimize(y.data());
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows * cols);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * rows * cols * (backward ? 3 : 2) *
                          static_cast<std::int64_t>(sizeof(T)));
}

// Eigen's own rowwise softmax, the way an Eigen user writes it.
template <class T>
void eigen_softmax(benchmark::State& state, Eigen::Index rows, Eigen::Index cols) {
  const Matrix<T, Eigen::RowMajor> x = matrix_inputs<T, Eigen::RowMajor>(rows, cols, 1);
  Matrix<T, Eigen::RowMajor> y(rows, cols);
  for (auto _ : state) {
    y = (x.colwise() - x.rowwise().maxCoeff()).exp();
    y.colwise() /= y.rowwise().sum();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * rows * cols);
}

template <class T>
void register_softmax(const std::string& type) {
  struct Shape {
    Eigen::Index rows, cols;
    bool colwise, row_major;
  };
  const Shape shapes[] = {
      {256, 1000, false, true}, {32, 32000, false, true}, {1000, 256, true, false}, {1000, 256, true, true}};
  for (const Shape& s : shapes) {
    const std::string shape = std::to_string(s.rows) + "x" + std::to_string(s.cols) +
                              (s.colwise ? "_colwise" : "_rowwise") + (s.row_major ? "_rowmajor" : "_colmajor");
    const activ::Axis axis = s.colwise ? activ::colwise : activ::rowwise;
    auto both = [&](const std::string& name, auto f) {
      for (const bool backward : {false, true}) {
        const std::string label = "activ/" + name + (backward ? "/backward/" : "/forward/") + type + "/" + shape;
        benchmark::RegisterBenchmark(label.c_str(), [f, s, backward](benchmark::State& st) {
          if (s.row_major) {
            softmax_case<decltype(f), Eigen::RowMajor>(st, f, s.rows, s.cols, backward);
          } else {
            softmax_case<decltype(f), Eigen::ColMajor>(st, f, s.rows, s.cols, backward);
          }
        })->UseRealTime();
      }
    };
    both("softmax", activ::Softmax<T>{axis});
    both("log_softmax", activ::LogSoftmax<T>{axis});
    if (!s.colwise) {
      const Eigen::Index r = s.rows, c = s.cols;
      benchmark::RegisterBenchmark(("eigen/softmax/forward/" + type + "/" + shape).c_str(), [r,
                                                                                             c](benchmark::State& st) {
        eigen_softmax<T>(st, r, c);
      })->UseRealTime();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all<float>("float");
  register_all<double>("double");
  register_softmax<float>("float");
  register_softmax<double>("double");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
