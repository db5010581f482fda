// activ/sigmoid.hpp — σ(x) = 1/(1 + e⁻ˣ), σ′(x) = σ(x)·σ(−x).
// Both from e^−|x| ∈ [0, 1], which never overflows, as double-word quotients rounded once
// (detail::logistic); σ′ as the product σ(x)·σ(−x) avoids the cancellation of σ(1 − σ) where σ
// saturates. Subnormal results (x < −87.3 in float) are scaled once, at the end.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Sigmoid : detail::Elementwise<Sigmoid<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Sigmoid<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Sigmoid<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Sigmoid";

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::fast::sigmoid_at(x);
    } else {
      return detail::sigmoid(detail::logistic(x), x);
    }
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::fast::sigmoid_product_at(x);
    } else {
      return detail::sigmoid_product(detail::logistic(x));
    }
  }
  // σ′ = y·(1 − y); 1 − y is exact for y ≥ 1/2 (Sterbenz).
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return y * (V(T(1)) - y);
  }
};

// A lazy Eigen expression applying Sigmoid elementwise, vectorized inside Eigen's own loop:
// activ::sigmoid(W * x + b) needs no temporary.
template <class D>
auto sigmoid(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(Sigmoid<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Sigmoid, 60)
