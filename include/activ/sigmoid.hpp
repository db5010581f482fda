// activ/sigmoid.hpp — σ(x) = 1/(1 + e⁻ˣ), σ′(x) = σ(x)·σ(−x).
// Both from e^−|x| ∈ [0, 1], which never overflows, as double-word quotients rounded once
// (detail::logistic); σ′ as the product σ(x)·σ(−x) avoids the cancellation of σ(1 − σ) where σ
// saturates. Subnormal results (x < −87.3 in float) are scaled once, at the end. Float on x86
// computes in double instead (in_double.hpp): e^−|x| (clamped at −120, where σ rounds to 0 in
// float), one division, one rounding to float.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Sigmoid : detail::Elementwise<Sigmoid<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Sigmoid<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Sigmoid<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Sigmoid";

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) { return detail::sigmoid_for_float(d); });
    } else if constexpr (detail::is_fast_v<Policy>) {
      return detail::fast::sigmoid_at(x);
    } else {
      return detail::sigmoid(detail::logistic(x), x);
    }
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) { return detail::sigmoid_product_for_float(d); });
    } else if constexpr (detail::is_fast_v<Policy>) {
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
