// bench/bench_elementwise.cpp — every elementwise functor: activ's forward, derivative, backward and
// (where the functor has it) backward_from_output, against the same math written as Eigen array
// expressions and as a plain <cmath> loop, in float and double at every size of common.hpp.
#include "common.hpp"
#include "registry.hpp"

#include <activ/activ.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace bench {
namespace {

// The parameters of every case: the API's defaults, written once so that the peers compute the
// same function as activ.
constexpr double leaky_slope = 0.01;
constexpr double prelu_alpha = 0.25;
constexpr double rrelu_lower = 1.0 / 8, rrelu_upper = 1.0 / 3;
constexpr double rrelu_slope = (rrelu_lower + rrelu_upper) / 2;  // eval mode
constexpr double elu_alpha = 1.0;
constexpr double selu_lambda = 1.0507009873554804934193349852946;
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double softplus_threshold = 20.0;  // beta = 1
constexpr double hard_swish_edge = 3.0;

// backward_from_output(y, dy, dx) is new in the API; register its cases only where the functor
// has it, so this file builds against the library before and after it appears.
template <class F, class = void>
struct has_backward_from_output : std::false_type {};
template <class F>
struct has_backward_from_output<
    F, std::void_t<decltype(std::declval<const F&>().backward_from_output(
           std::declval<const Column<typename F::Scalar>&>(), std::declval<const Column<typename F::Scalar>&>(),
           std::declval<Column<typename F::Scalar>&>()))>> : std::true_type {};

// ---- activ ---------------------------------------------------------------------------------------
template <class F>
void activ_cases(const std::string& impl, const std::string& function, const F& f) {
  using T = typename F::Scalar;
  add_elementwise<T>(impl, function, "forward", [f](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& y = outputs<T>(n, 1);
    timed(state, y.data(), [&] { f.forward(x, y); });
  });
  add_elementwise<T>(impl, function, "derivative", [f](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& d = outputs<T>(n, 1);
    timed(state, d.data(), [&] { f.derivative(x, d); });
  });
  add_elementwise<T>(impl, function, "backward", [f](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    const Column<T>& dy = inputs<T>(n, 2);
    Column<T>& dx = outputs<T>(n, 1);
    timed(state, dx.data(), [&] { f.backward(x, dy, dx); });
  });
  if constexpr (has_backward_from_output<F>::value) {
    add_elementwise<T>(impl, function, "backward_from_output", [f](benchmark::State& state, Eigen::Index n) {
      const Column<T>& x = inputs<T>(n, 1);
      const Column<T>& dy = inputs<T>(n, 2);
      Column<T>& y = outputs<T>(n, 1);
      Column<T>& dx = outputs<T>(n, 2);
      f.forward(x, y);
      try {  // a functor may refuse parameters for which f′ is not a function of y
        f.backward_from_output(y, dy, dx);
      } catch (const std::invalid_argument& e) {
        state.SkipWithError(e.what());
        return;
      }
      timed(state, dx.data(), [&] { f.backward_from_output(y, dy, dx); });
    });
  }
}

// activ inside an Eigen expression (x.unaryExpr(f): Eigen's loop, activ's packet math), forward
// only: the same work as activ/<function>/forward through the other entry point.
template <class F>
void activ_expression_case(const std::string& function, const F& f) {
  using T = typename F::Scalar;
  add_elementwise<T>("activ", function + "_unary_expr", "forward", [f](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& y = outputs<T>(n, 1);
    timed(state, y.data(), [&] { y = x.unaryExpr(f); });
  });
}

// ---- Eigen array expressions -----------------------------------------------------------------------
// forward(x) and derivative(x) return expressions; backward is dy * derivative(x), one fused pass.
// The piecewise functions use select(), as an Eigen user writes them first, and ELU, SELU and
// softplus use exp (e^x − 1, log(1 + e^x)) rather than expm1 and log1p, which are 5× slower in
// Eigen 3.4 here. Note that Eigen 3.4 evaluates a select() whose branch calls exp one coefficient at
// a time (about 5 ns per float on the reference machine, against 0.3 ns for the branch-free
// x.max(0) + (x.min(0).exp() − 1)), so eigen/elu, selu and softplus measure that scalar path.
template <class T, class Forward, class Derivative>
void eigen_cases(const std::string& function, Forward forward, Derivative derivative) {
  add_elementwise<T>("eigen", function, "forward", [forward](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& y = outputs<T>(n, 1);
    timed(state, y.data(), [&] { y = forward(x); });
  });
  add_elementwise<T>("eigen", function, "derivative", [derivative](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& d = outputs<T>(n, 1);
    timed(state, d.data(), [&] { d = derivative(x); });
  });
  add_elementwise<T>("eigen", function, "backward", [derivative](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    const Column<T>& dy = inputs<T>(n, 2);
    Column<T>& dx = outputs<T>(n, 1);
    timed(state, dx.data(), [&] { dx = dy * derivative(x); });
  });
}

// ---- plain loops over <cmath> ----------------------------------------------------------------------
template <class T, class Forward, class Derivative>
void std_loop_cases(const std::string& function, Forward forward, Derivative derivative) {
  add_elementwise<T>("std_loop", function, "forward", [forward](benchmark::State& state, Eigen::Index n) {
    const T* x = inputs<T>(n, 1).data();
    Column<T>& out = outputs<T>(n, 1);
    T* y = out.data();
    timed(state, y, [&] {
      for (Eigen::Index i = 0; i < n; ++i) y[i] = forward(x[i]);
    });
  });
  add_elementwise<T>("std_loop", function, "derivative", [derivative](benchmark::State& state, Eigen::Index n) {
    const T* x = inputs<T>(n, 1).data();
    Column<T>& out = outputs<T>(n, 1);
    T* d = out.data();
    timed(state, d, [&] {
      for (Eigen::Index i = 0; i < n; ++i) d[i] = derivative(x[i]);
    });
  });
  add_elementwise<T>("std_loop", function, "backward", [derivative](benchmark::State& state, Eigen::Index n) {
    const T* x = inputs<T>(n, 1).data();
    const T* dy = inputs<T>(n, 2).data();
    Column<T>& out = outputs<T>(n, 1);
    T* dx = out.data();
    timed(state, dx, [&] {
      for (Eigen::Index i = 0; i < n; ++i) dx[i] = dy[i] * derivative(x[i]);
    });
  });
}

// The three implementations of one function, registered together so that the run order puts
// activ and its peers side by side.
// activ in both policies (activ: the default activ::accurate, activ_fast: activ::fast).
template <class T, class F, class Fast, class EigenForward, class EigenDerivative, class StdForward,
          class StdDerivative>
void function_cases(const std::string& function, const F& f, const Fast& fast, EigenForward eigen_forward,
                    EigenDerivative eigen_derivative, StdForward std_forward, StdDerivative std_derivative) {
  activ_cases("activ", function, f);
  activ_cases("activ_fast", function, fast);
  eigen_cases<T>(function, eigen_forward, eigen_derivative);
  std_loop_cases<T>(function, std_forward, std_derivative);
}

template <class T>
void register_type() {
  using A = Column<T>;
  const T zero(0), one(1);
  // Where a select needs an array on both sides.
  auto ones = [](const A& x) { return A::Constant(x.size(), T(1)); };

  function_cases<T>(
      "relu", activ::ReLU<T>{}, activ::ReLU<T, activ::fast>{}, [](const A& x) { return x.max(T(0)); },
      [ones](const A& x) { return (x > T(0)).select(ones(x), T(0)); }, [zero](T v) { return v > zero ? v : zero; },
      [zero, one](T v) { return v > zero ? one : zero; });

  const T s = T(leaky_slope);
  function_cases<T>(
      "leaky_relu", activ::LeakyReLU<T>{s}, activ::LeakyReLU<T, activ::fast>{s}, [s](const A& x) { return (x > T(0)).select(x, s * x); },
      [s, ones](const A& x) { return (x > T(0)).select(ones(x), s); }, [s](T v) { return v > T(0) ? v : s * v; },
      [s](T v) { return v > T(0) ? T(1) : s; });

  const T a = T(prelu_alpha);
  function_cases<T>(
      "prelu", activ::PReLU<T>{a}, activ::PReLU<T, activ::fast>{a}, [a](const A& x) { return (x > T(0)).select(x, a * x); },
      [a, ones](const A& x) { return (x > T(0)).select(ones(x), a); }, [a](T v) { return v > T(0) ? v : a * v; },
      [a](T v) { return v > T(0) ? T(1) : a; });

  const T r = T(rrelu_slope);
  function_cases<T>(
      "rrelu", activ::RReLU<T>{T(rrelu_lower), T(rrelu_upper)}, activ::RReLU<T, activ::fast>{T(rrelu_lower), T(rrelu_upper)}, [r](const A& x) { return (x > T(0)).select(x, r * x); },
      [r, ones](const A& x) { return (x > T(0)).select(ones(x), r); }, [r](T v) { return v > T(0) ? v : r * v; },
      [r](T v) { return v > T(0) ? T(1) : r; });

  const T ea = T(elu_alpha);
  function_cases<T>(
      "elu", activ::ELU<T>{ea}, activ::ELU<T, activ::fast>{ea}, [ea](const A& x) { return (x > T(0)).select(x, ea * (x.exp() - T(1))); },
      [ea, ones](const A& x) { return (x > T(0)).select(ones(x), ea * x.exp()); },
      [ea](T v) { return v > T(0) ? v : ea * std::expm1(v); },
      [ea](T v) { return v > T(0) ? T(1) : ea * std::exp(v); });

  const T sl = T(selu_lambda), sa = T(selu_alpha), sla = T(selu_lambda * selu_alpha);
  function_cases<T>(
      "selu", activ::SELU<T>{}, activ::SELU<T, activ::fast>{}, [sl, sla](const A& x) { return (x > T(0)).select(sl * x, sla * (x.exp() - T(1))); },
      [sl, sla, ones](const A& x) { return (x > T(0)).select(sl * ones(x), sla * x.exp()); },
      [sl, sa](T v) { return sl * (v > T(0) ? v : sa * std::expm1(v)); },
      [sl, sa](T v) { return sl * (v > T(0) ? T(1) : sa * std::exp(v)); });

  function_cases<T>(
      "sigmoid", activ::Sigmoid<T>{}, activ::Sigmoid<T, activ::fast>{}, [](const A& x) { return x.logistic(); },
      [](const A& x) { return x.logistic() * (T(1) - x.logistic()); }, [](T v) { return T(1) / (T(1) + std::exp(-v)); },
      [](T v) {
        const T sv = T(1) / (T(1) + std::exp(-v));
        return sv * (T(1) - sv);
      });

  function_cases<T>(
      "tanh", activ::Tanh<T>{}, activ::Tanh<T, activ::fast>{}, [](const A& x) { return x.tanh(); },
      [](const A& x) { return T(1) - x.tanh().square(); }, [](T v) { return std::tanh(v); },
      [](T v) {
        const T t = std::tanh(v);
        return T(1) - t * t;
      });

  function_cases<T>(
      "softsign", activ::Softsign<T>{}, activ::Softsign<T, activ::fast>{}, [](const A& x) { return x / (T(1) + x.abs()); },
      [](const A& x) { return (T(1) + x.abs()).square().inverse(); }, [](T v) { return v / (T(1) + std::abs(v)); },
      [](T v) {
        const T q = T(1) + std::abs(v);
        return T(1) / (q * q);
      });

  const T thr = T(softplus_threshold);
  function_cases<T>(
      "softplus", activ::Softplus<T>{T(1), thr}, activ::Softplus<T, activ::fast>{T(1), thr},
      [thr](const A& x) { return (x > thr).select(x, (T(1) + x.exp()).log()); },
      [thr, ones](const A& x) { return (x > thr).select(ones(x), x.logistic()); },
      [thr](T v) { return v > thr ? v : std::log1p(std::exp(v)); },
      [thr](T v) { return v > thr ? T(1) : T(1) / (T(1) + std::exp(-v)); });

  function_cases<T>(
      "swish", activ::Swish<T>{T(1)}, activ::Swish<T, activ::fast>{T(1)}, [](const A& x) { return x * x.logistic(); },
      [](const A& x) { return x.logistic() + x * x.logistic() * (T(1) - x.logistic()); },
      [](T v) { return v / (T(1) + std::exp(-v)); },
      [](T v) {
        const T sv = T(1) / (T(1) + std::exp(-v));
        return sv + v * sv * (T(1) - sv);
      });

  const T edge = T(hard_swish_edge);
  function_cases<T>(
      "hard_swish", activ::HardSwish<T>{}, activ::HardSwish<T, activ::fast>{},
      [edge](const A& x) { return (x > -edge).select((x >= edge).select(x, x * (x + edge) / T(6)), T(0)); },
      [edge, ones](const A& x) {
        return (x > -edge).select((x >= edge).select(ones(x), (T(2) * x + edge) / T(6)), T(0));
      },
      [edge](T v) { return v <= -edge  ? T(0)
                           : v >= edge ? v
                                       : v * (v + edge) / T(6); },
      [edge](T v) { return v <= -edge  ? T(0)
                           : v >= edge ? T(1)
                                       : (T(2) * v + edge) / T(6); });

  activ_expression_case("sigmoid", activ::Sigmoid<T>{});
  activ_expression_case("tanh", activ::Tanh<T>{});
  activ_expression_case("swish", activ::Swish<T>{T(1)});
}

}  // namespace

void register_elementwise() {
  register_type<float>();
  register_type<double>();
}

}  // namespace bench
