// activ/selu.hpp — SELU: f(x) = λ·(x > 0 ? x : α·expm1(x)), f′(x) = λ·(x > 0 ? 1 : α·eˣ)
// (f′(0) = λα), with the fixed λ and α of Klambauer et al., "Self-Normalizing Neural Networks"
// (2017), to the digits PyTorch uses.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct SELU : detail::Elementwise<SELU<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::SELU<T>: T must be float or double");
  static constexpr const char* name = "SELU";

  static constexpr T lambda = T(1.0507009873554804934193349852946L);
  static constexpr T alpha = T(1.6732632423543772848170429916717L);
  // λα rounded once from its exact product, not the product of two rounded values.
  static constexpr T lambda_alpha = T(1.0507009873554804934193349852946L * 1.6732632423543772848170429916717L);

  template <class V>
  V eval(const V& x) const {
    return detail::select(x > V(T(0)), V(lambda) * x, V(lambda_alpha) * detail::expm1(x));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::select(x > V(T(0)), V(lambda), V(lambda_alpha) * detail::exp(x));
  }
};

// A lazy Eigen expression applying SELU elementwise, vectorized inside Eigen's own loop:
// activ::selu(W * x + b) needs no temporary.
template <class D>
auto selu(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(SELU<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(SELU, 40)
