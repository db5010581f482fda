// activ/softplus.hpp — f(x) = βx > threshold ? x : log1p(e^{βx})/β, f′(x) = βx > threshold ? 1 : σ(βx).
// log1p(e^{βx}) = max(βx, 0) + log1p(e^−|βx|): the exponential's argument is never positive, so
// nothing overflows for any x, and the result keeps full relative accuracy for βx ≪ 0 where it is
// ≈ e^{βx}. The rounding error of β·x is carried into the exponential (see detail::logistic), so
// β ≠ 1 costs no accuracy. The threshold is part of the definition, as in PyTorch, and is compared
// with β·x rounded to T.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T>
struct Softplus : detail::Elementwise<Softplus<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Softplus<T>: T must be float or double");
  static constexpr const char* name = "Softplus";

  T beta;
  T threshold;

  explicit Softplus(T beta_ = T(1), T threshold_ = T(20)) : beta(beta_), threshold(threshold_) {
    detail::require_finite(name, "beta", beta);
    detail::require_nonzero(name, "beta", beta);
    detail::require_not_nan(name, "threshold", threshold);
  }

  template <class V>
  V eval(const V& x) const {
    const auto product = detail::scaled_argument(V(beta), x);  // z = β·x and its rounding error dz
    const V z = product.value;
    const V dz = product.error;
    const V e = detail::exp_neg_abs(z, dz);  // e^−|z+dz| to first order
    const V positive_part = detail::select(z > V(T(0)), z, V(T(0)));
    const V correction = detail::select(z > V(T(0)), dz, V(T(0)));
    const V y = (positive_part + (detail::log1p(e) + correction)) / V(beta);
    return detail::select(z > V(threshold), x, y);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    const auto product = detail::scaled_argument(V(beta), x);
    return detail::select(product.value > V(threshold), V(T(1)),
                          detail::logistic(product.value, product.error).positive);
  }
};

// A lazy Eigen expression applying Softplus elementwise, vectorized inside Eigen's own loop:
// activ::softplus(W * x + b) needs no temporary.
template <class D>
auto softplus(const Eigen::DenseBase<D>& x, typename D::Scalar beta = typename D::Scalar(1),
              typename D::Scalar threshold = typename D::Scalar(20)) {
  return x.derived().unaryExpr(Softplus<typename D::Scalar>{beta, threshold});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Softplus, 80)
