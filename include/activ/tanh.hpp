// activ/tanh.hpp — tanh x, tanh′ x = 1 − tanh²x = 4e^−2|x| / (1 + e^−2|x|)².
// tanh|x| = −u/(2 + u) with u = expm1(−2|x|) ∈ (−1, 0]: accurate near 0 (u ≈ −2|x| with full
// relative precision) and saturating to exactly 1 without overflow. The derivative in the form
// above has no cancellation where tanh² → 1.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct Tanh : detail::Elementwise<Tanh<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Tanh<T>: T must be float or double");
  static constexpr const char* name = "Tanh";

  template <class V>
  V eval(const V& x) const {
    const V u = detail::expm1(V(T(-2)) * detail::abs(x));
    return detail::copysign(-u / (V(T(2)) + u), x);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    const V e = detail::exp(V(T(-2)) * detail::abs(x));
    const V r = V(T(1)) / (V(T(1)) + e);
    return V(T(4)) * e * r * r;
  }
};

// A lazy Eigen expression applying Tanh elementwise, vectorized inside Eigen's own loop:
// activ::tanh(W * x + b) needs no temporary.
template <class D>
auto tanh(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(Tanh<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Tanh, 45)
