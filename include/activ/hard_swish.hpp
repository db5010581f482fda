// activ/hard_swish.hpp — f(x) = x ≤ −3 ? 0 : x ≥ 3 ? x : x(x + 3)/6,
// f′(x) = x ≤ −3 ? 0 : x ≥ 3 ? 1 : (2x + 3)/6, with f′(−3) = 0 and f′(3) = 1 (current PyTorch).
// x + 3 and x·(x + 3) are formed exactly as double-word values and the division by 6 is corrected
// once by its residual: each result rounds once.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct HardSwish : detail::Elementwise<HardSwish<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::HardSwish<T>: T must be float or double");
  static constexpr const char* name = "HardSwish";

  template <class V>
  V eval(const V& x) const {
    const detail::dw<V> s = detail::two_sum(x, V(T(3)));
    const detail::dw<V> p = detail::two_product(x, s.hi);
    const V middle = sixth(detail::dw<V>{p.hi, detail::mul_add(x, s.lo, p.lo)});
    return detail::select(x <= V(T(-3)), V(T(0)), detail::select(x >= V(T(3)), x, middle));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    const V middle = sixth(detail::two_sum(V(T(2)) * x, V(T(3))));
    return detail::select(x <= V(T(-3)), V(T(0)), detail::select(x >= V(T(3)), V(T(1)), middle));
  }

 private:
  template <class V>
  static V sixth(const detail::dw<V>& a) {
    return detail::divide_round(a, detail::dw<V>{V(T(6)), V(T(0))}, V(T(1) / T(6)));
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
