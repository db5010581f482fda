// bench/bench_softmax.cpp — Softmax and LogSoftmax forward and backward (from the output y) on the
// shapes of common.hpp: 256×1024 and 32×32000 rowwise (row-major), 1024×256 colwise (column-major
// and row-major); activ against the same math written with Eigen's partial reductions.
#include "common.hpp"
#include "registry.hpp"

#include <activ/activ.hpp>

#include <string>

namespace bench {
namespace {

// ---- activ ---------------------------------------------------------------------------------------
template <int Order, class F>
void activ_run(benchmark::State& state, const F& f, const SoftmaxShape& shape, bool backward) {
  using T = typename F::Scalar;
  const Matrix<T, Order> x = matrix_inputs<T, Order>(shape.rows, shape.cols, 1);
  const Matrix<T, Order> dy = matrix_inputs<T, Order>(shape.rows, shape.cols, 2);
  Matrix<T, Order> y(shape.rows, shape.cols), dx(shape.rows, shape.cols);
  f.forward(x, y);
  if (backward) {
    timed(state, dx.data(), [&] { f.backward(y, dy, dx); });
  } else {
    timed(state, y.data(), [&] { f.forward(x, y); });
  }
}

template <class F>
void activ_cases(const std::string& impl, const std::string& function, const F& f, const SoftmaxShape& shape) {
  using T = typename F::Scalar;
  for (const bool backward : {false, true}) {
    add_softmax<T>(impl, function, backward ? "backward" : "forward", shape,
                   [f, backward](benchmark::State& state, const SoftmaxShape& s) {
                     if (s.row_major) {
                       activ_run<Eigen::RowMajor>(state, f, s, backward);
                     } else {
                       activ_run<Eigen::ColMajor>(state, f, s, backward);
                     }
                   });
  }
}

// ---- Eigen -----------------------------------------------------------------------------------------
// As an Eigen user writes it: per-distribution maxima and sums into small temporaries, then
// broadcast expressions. Rowwise distributions reduce with rowwise() into a column; colwise ones
// with colwise() into a row.
template <class T, int Order, bool Colwise>
struct EigenSoftmax {
  using M = Matrix<T, Order>;
  using Stat = std::conditional_t<Colwise, Eigen::Array<T, 1, Eigen::Dynamic>, Column<T>>;

  template <class E>
  static auto along(const E& e) {  // the reductions over each distribution
    if constexpr (Colwise) {
      return e.colwise();
    } else {
      return e.rowwise();
    }
  }
  template <class E>
  static auto across(E&& e) {  // broadcasting one statistic per distribution
    if constexpr (Colwise) {
      return e.rowwise();
    } else {
      return e.colwise();
    }
  }

  static void softmax(const M& x, M& y) {
    const Stat max = along(x).maxCoeff();
    y = (across(x) - max).exp();
    const Stat sum = along(y).sum();
    across(y) /= sum;
  }
  static void log_softmax(const M& x, M& y) {
    const Stat max = along(x).maxCoeff();
    const Stat log_sum = max + along((across(x) - max).exp()).sum().log();
    y = across(x) - log_sum;
  }
  // dx = y ⊙ (dy − ⟨dy, y⟩)
  static void softmax_backward(const M& y, const M& dy, M& dx) {
    const Stat dot = along(dy * y).sum();
    dx = y * (across(dy) - dot);
  }
  // dx = dy − e^y · Σ dy
  static void log_softmax_backward(const M& y, const M& dy, M& dx) {
    const Stat sum = along(dy).sum();
    dx = dy - across(y.exp()) * sum;
  }
};

template <class T, int Order, bool Colwise>
void eigen_run(benchmark::State& state, const SoftmaxShape& shape, bool log, bool backward) {
  using E = EigenSoftmax<T, Order, Colwise>;
  const Matrix<T, Order> x = matrix_inputs<T, Order>(shape.rows, shape.cols, 1);
  const Matrix<T, Order> dy = matrix_inputs<T, Order>(shape.rows, shape.cols, 2);
  Matrix<T, Order> y(shape.rows, shape.cols), dx(shape.rows, shape.cols);
  if (log) {
    E::log_softmax(x, y);
  } else {
    E::softmax(x, y);
  }
  if (backward) {
    timed(state, dx.data(), [&] {
      if (log) {
        E::log_softmax_backward(y, dy, dx);
      } else {
        E::softmax_backward(y, dy, dx);
      }
    });
  } else {
    timed(state, y.data(), [&] {
      if (log) {
        E::log_softmax(x, y);
      } else {
        E::softmax(x, y);
      }
    });
  }
}

template <class T>
void eigen_cases(const std::string& function, const SoftmaxShape& shape) {
  const bool log = function == "log_softmax";
  for (const bool backward : {false, true}) {
    add_softmax<T>("eigen", function, backward ? "backward" : "forward", shape,
                   [log, backward](benchmark::State& state, const SoftmaxShape& s) {
                     if (s.row_major && s.colwise) {
                       eigen_run<T, Eigen::RowMajor, true>(state, s, log, backward);
                     } else if (s.row_major) {
                       eigen_run<T, Eigen::RowMajor, false>(state, s, log, backward);
                     } else if (s.colwise) {
                       eigen_run<T, Eigen::ColMajor, true>(state, s, log, backward);
                     } else {
                       eigen_run<T, Eigen::ColMajor, false>(state, s, log, backward);
                     }
                   });
  }
}

template <class T>
void register_type() {
  for (const SoftmaxShape& shape : softmax_shapes()) {
    const activ::Axis axis = shape.colwise ? activ::colwise : activ::rowwise;
    activ_cases("activ", "softmax", activ::Softmax<T>{axis}, shape);
    activ_cases("activ_fast", "softmax", activ::Softmax<T, activ::fast>{axis}, shape);
    eigen_cases<T>("softmax", shape);
    activ_cases("activ", "log_softmax", activ::LogSoftmax<T>{axis}, shape);
    activ_cases("activ_fast", "log_softmax", activ::LogSoftmax<T, activ::fast>{axis}, shape);
    eigen_cases<T>("log_softmax", shape);
  }
}

}  // namespace

void register_softmax() {
  register_type<float>();
  register_type<double>();
}

}  // namespace bench
