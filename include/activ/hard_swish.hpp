// activ/hard_swish.hpp — f(x) = x ≤ −3 ? 0 : x ≥ 3 ? x : x(x + 3)/6,
// f′(x) = x ≤ −3 ? 0 : x ≥ 3 ? 1 : (2x + 3)/6, with f′(−3) = 0 and f′(3) = 1 (current PyTorch).
// x + 3 and x·(x + 3) are formed exactly as double-word values and the division by 6 is corrected
// once by its residual: each result rounds once.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct HardSwish : detail::Elementwise<HardSwish<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::HardSwish<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::HardSwish<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "HardSwish";

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) {
      // c·min((c + 3)·(1/6), 1) with c = max(x, −3): the three cases without a comparison. c + 3 is
      // exact near −3; x ≤ −3 gives −3·0 = −0 (also at x = −∞), x ≥ 3 gives x·1; NaN passes.
      const V c = detail::at_least(x, V(T(-3)));
      return c * detail::at_most((c + V(T(3))) * V(T(1) / T(6)), V(T(1)));
    }
    const detail::dw<V> s = detail::fast_two_sum(V(T(3)), x);  // exact for |x| < 4 (others are selected away)
    const detail::dw<V> p = detail::two_product(x, s.hi);
    const V middle = sixth(detail::dw<V>{p.hi, detail::mul_add(x, s.lo, p.lo)});
    return detail::select(x <= V(T(-3)), V(T(0)), detail::select(x >= V(T(3)), x, middle));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) {  // x/3 + 1/2
      const V middle = detail::mul_add(x, V(T(1) / T(3)), V(T(0.5)));
      return detail::select(x <= V(T(-3)), V(T(0)), detail::select(x >= V(T(3)), V(T(1)), middle));
    }
    const V middle = sixth(detail::two_sum(V(T(2)) * x, V(T(3))));
    return detail::select(x <= V(T(-3)), V(T(0)), detail::select(x >= V(T(3)), V(T(1)), middle));
  }

 private:
  template <class V>
  static V sixth(const detail::dw<V>& a) {
    return detail::divide_round(a, V(T(6)), V(T(1) / T(6)));
  }
};

// A lazy Eigen expression applying HardSwish elementwise, vectorized inside Eigen's own loop:
// activ::hard_swish(W * x + b) needs no temporary.
template <class D>
auto hard_swish(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(HardSwish<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(HardSwish, 12)
