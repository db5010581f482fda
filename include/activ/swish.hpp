// activ/swish.hpp — f(x) = x·σ(βx) (β = 1: SiLU), f′(x) = σ(βx)·(1 + βx·σ(−βx)).
// The derivative's form is σ(βx) + βx·σ(βx)(1 − σ(βx)) with 1 − σ(βx) written as σ(−βx), which
// does not cancel. Where βx = ±∞ (x = ±∞, or βx overflowing) the products 0·∞ are replaced by
// the limits: f → x or 0, f′ → 1 or 0. The rounding error of β·x is carried into σ (see
// detail::logistic), so β ≠ 1 costs no accuracy where |βx| is large.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct Swish : detail::Elementwise<Swish<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Swish<T>: T must be float or double");
  static constexpr const char* name = "Swish";

  T beta;

  explicit Swish(T beta_ = T(1)) : beta(beta_) { detail::require_finite(name, "beta", beta); }

  template <class V>
  V eval(const V& x) const {
    const auto z = detail::scaled_argument(V(beta), x);  // β·x and its rounding error
    const V s = detail::logistic(z.value, z.error).positive;
    // s = 0 exactly only where βx → −∞ (or σ underflows); x·σ(βx) → 0 there, and x·0 must not
    // become ∞·0.
    return detail::select(s == V(T(0)), V(T(0)), x * s);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    const auto product = detail::scaled_argument(V(beta), x);
    const V z = product.value;
    const auto s = detail::logistic(z, product.error);
    const V d = s.positive * detail::mul_add(z, s.negative, V(T(1)));
    const V inf = V(std::numeric_limits<T>::infinity());
    return detail::select(z == inf, V(T(1)), detail::select(z == -inf, V(T(0)), d));
  }
};

// A lazy Eigen expression applying Swish elementwise, vectorized inside Eigen's own loop:
// activ::swish(W * x + b) needs no temporary.
template <class D>
auto swish(const Eigen::DenseBase<D>& x, typename D::Scalar beta = typename D::Scalar(1)) {
  return x.derived().unaryExpr(Swish<typename D::Scalar>{beta});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Swish, 55)
