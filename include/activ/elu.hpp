// activ/elu.hpp — ELU: f(x) = x > 0 ? x : α·expm1(x), f′(x) = x > 0 ? 1 : α·eˣ (f′(0) = α).
// expm1 keeps full relative accuracy near 0, where eˣ − 1 would lose every digit.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct ELU : detail::Elementwise<ELU<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::ELU<T>: T must be float or double");
  static constexpr const char* name = "ELU";

  T alpha;

  explicit ELU(T alpha_ = T(1)) : alpha(alpha_) { detail::require_finite(name, "alpha", alpha); }

  template <class V>
  V eval(const V& x) const {
    return detail::select(x > V(T(0)), x, V(alpha) * detail::expm1(x));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::select(x > V(T(0)), V(T(1)), V(alpha) * detail::exp(x));
  }
};

// A lazy Eigen expression applying ELU elementwise, vectorized inside Eigen's own loop:
// activ::elu(W * x + b) needs no temporary.
template <class D>
auto elu(const Eigen::DenseBase<D>& x, typename D::Scalar alpha = typename D::Scalar(1)) {
  return x.derived().unaryExpr(ELU<typename D::Scalar>{alpha});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(ELU, 40)
