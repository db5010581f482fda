// activ/relu.hpp — ReLU: f(x) = max(0, x), f′(x) = x > 0 ? 1 : 0 (f′(0) = 0, as PyTorch).
#pragma once

#include "detail/elementwise.hpp"

namespace activ {

template <class T, class Policy>
struct ReLU : detail::Elementwise<ReLU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::ReLU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::ReLU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "ReLU";

  template <class V>
  V eval(const V& x) const {
    // x clamped below at 0 (one max instruction; NaN passes through), + 0 so that −0 gives +0
    // on every arch (the x86 max returns −0 for (0, −0), NEON's +0): two instructions where the
    // compare and select took three, as GCC compiles a select of 0.
    return detail::at_least(x, V(T(0))) + V(T(0));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::positive_step(x, T(0));
  }
  // y > 0 exactly where x > 0.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return eval_derivative(y);
  }
};

// A lazy Eigen expression applying ReLU elementwise, vectorized inside Eigen's own loop:
// activ::relu(W * x + b) needs no temporary.
template <class D>
auto relu(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(ReLU<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(ReLU, 2)
