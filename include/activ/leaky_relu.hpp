// activ/leaky_relu.hpp — LeakyReLU: f(x) = x > 0 ? x : s·x, f′(x) = x > 0 ? 1 : s (f′(0) = s).
#pragma once

#include "detail/elementwise.hpp"

namespace activ {
namespace detail {

// s·x for x ≤ 0, where a zero slope gives the limit 0 also at x = −∞ (0·∞ is NaN): x is then
// clamped to the lowest finite value first (NaN passes). A per-lane slope (PReLU per channel,
// RReLU's sampled slopes) decides per lane; a scalar slope picks the clamp's bound (−∞, no clamp,
// for s ≠ 0), so that the loop holds one max and no branch (a test of s in the body stayed in
// GCC's loop: a compare and two jumps per batch).
template <class V, class S>
inline V slope_times(const S& slope, const V& x) {
  using T = scalar_t<V>;
  const V lowest = V(std::numeric_limits<T>::lowest());
  if constexpr (value_traits<S>::is_batch) {
    return slope * detail::select(slope == S(T(0)), detail::at_least(x, lowest), x);
  } else {
    const T bound = slope == S(0) ? std::numeric_limits<T>::lowest() : -std::numeric_limits<T>::infinity();
    return V(slope) * detail::at_least(x, V(bound));
  }
}

// The body shared by LeakyReLU, PReLU (one alpha) and RReLU (eval mode): a line of slope s for
// x ≤ 0 (s a scalar, or a batch of per-channel slopes). NaN propagates in both (s·NaN, and an
// explicit pass-through in f′).
template <class V, class S>
inline V leaky(const V& x, const S& slope) {
  using T = scalar_t<V>;
  return detail::select(x > V(T(0)), x, detail::slope_times(slope, x));
}
// A slope known to twice T's precision (RReLU's (lower + upper)/2): the product rounds once.
template <class V, class S>
inline V leaky(const V& x, const dw<S>& slope) {
  using T = scalar_t<V>;
  if (slope.hi == S(0)) return detail::leaky(x, slope.hi);  // (lo is 0 too)
  return detail::select(x > V(T(0)), x, detail::mul_round(x, dw<V>{V(slope.hi), V(slope.lo)}));
}
template <class V, class S>
inline V leaky_derivative(const V& x, const S& slope) {
  return detail::positive_step(x, slope);
}

}  // namespace detail

template <class T, class Policy>
struct LeakyReLU : detail::Elementwise<LeakyReLU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::LeakyReLU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::LeakyReLU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "LeakyReLU";

  T negative_slope;

  explicit LeakyReLU(T negative_slope_ = T(0.01)) : negative_slope(negative_slope_) {
    detail::require_finite(name, "negative_slope", negative_slope);
  }

  template <class V>
  V eval(const V& x) const {
    return detail::leaky(x, negative_slope);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::leaky_derivative(x, negative_slope);
  }
  // With s ≥ 0, y > 0 exactly where x > 0: f′ = y > 0 ? 1 : s.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return detail::leaky_derivative(y, negative_slope);
  }
  void check_from_output(const char* entry) const {
    if (!(negative_slope >= T(0))) detail::fail_from_output<T>(name, entry, "negative_slope", negative_slope);
  }
};

// A lazy Eigen expression applying LeakyReLU elementwise, vectorized inside Eigen's own loop:
// activ::leaky_relu(W * x + b) needs no temporary.
template <class D>
auto leaky_relu(const Eigen::DenseBase<D>& x, typename D::Scalar negative_slope = typename D::Scalar(0.01)) {
  return x.derived().unaryExpr(LeakyReLU<typename D::Scalar>{negative_slope});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(LeakyReLU, 3)
