// activ/softsign.hpp — f(x) = x/(1 + |x|), f′(x) = 1/(1 + |x|)².
// At ±∞ the quotient would be ∞/∞; the limit ±1 is returned instead. f′ is formed as r·r with
// r = 1/(1 + |x|), which underflows gracefully instead of overflowing (1 + |x|)².
#pragma once

#include "detail/elementwise.hpp"

namespace activ {

template <class T>
struct Softsign : detail::Elementwise<Softsign<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Softsign<T>: T must be float or double");
  static constexpr const char* name = "Softsign";

  template <class V>
  V eval(const V& x) const {
    const V a = detail::abs(x);
    const V q = x / (V(T(1)) + a);
    return detail::select(a == V(std::numeric_limits<T>::infinity()), detail::copysign(V(T(1)), x), q);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    const V r = V(T(1)) / (V(T(1)) + detail::abs(x));
    return r * r;
  }
};

// A lazy Eigen expression applying Softsign elementwise, vectorized inside Eigen's own loop:
// activ::softsign(W * x + b) needs no temporary.
template <class D>
auto softsign(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(Softsign<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Softsign, 12)
