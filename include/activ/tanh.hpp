// activ/tanh.hpp — tanh x, tanh′ x = 1 − tanh²x = 4·σ(2|x|)·σ(−2|x|).
// tanh|x| = −u/(2 + u) with u = expm1(−2|x|) ∈ (−1, 0] as a double-word value: accurate near 0
// (u ≈ −2|x| with full relative precision), saturating to exactly 1 without overflow, and divided
// as a double-word quotient so that one rounding ends it. The derivative in the logistic form has
// no cancellation where tanh² → 1, and its subnormal results are scaled once. Float on x86 computes
// the same forms in double instead (in_double.hpp), with one division and one rounding to float.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Tanh : detail::Elementwise<Tanh<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Tanh<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Tanh<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Tanh";

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        const D u = detail::expm1_for_float(D(2.0) * detail::neg_abs(d));  // e^(−2|x|) − 1
        return detail::copysign(detail::divide(u, D(-2.0) - u), d);        // −u/(2 + u)
      });
    }
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::copysign(detail::fast::tanh_abs(x), x);
    }
    const detail::dw<V> u = detail::expm1_dw(V(T(-2)) * detail::abs(x));
    const detail::dw<V> d = detail::fast_two_sum(V(T(2)), u.hi);  // 2 + u, |u| < 1
    const detail::dw<V> minus_u = {-u.hi, -u.lo};
    const V t = detail::divide_round(minus_u, detail::dw<V>{d.hi, d.lo + u.lo}, detail::divide(V(T(1)), d.hi));
    return detail::copysign(t, x);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) {  // 4·σ(2|x|)·σ(−2|x|); ×4 is exact
        using D = std::decay_t<decltype(d)>;
        return D(4.0) * detail::sigmoid_product_for_float(D(2.0) * d);
      });
    }
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::fast::sigmoid_product_at<2, 2>(x);  // 4·σ(2|x|)·σ(−2|x|), 2|x| folded into e^−2|x|
    }
    const V two_x = V(T(2)) * detail::abs(x);
    return detail::sigmoid_product(detail::logistic(two_x), T(2));  // 4·σ(2|x|)·σ(−2|x|)
  }
  // tanh′ = (1 − y)(1 + y): no cancellation beyond y's own rounding.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return (V(T(1)) - y) * (V(T(1)) + y);
  }
};

// A lazy Eigen expression applying Tanh elementwise, vectorized inside Eigen's own loop:
// activ::tanh(W * x + b) needs no temporary.
template <class D>
auto tanh(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(Tanh<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Tanh, 60)
