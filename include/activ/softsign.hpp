// activ/softsign.hpp — f(x) = x/(1 + |x|), f′(x) = 1/(1 + |x|)².
// 1 + |x| is formed exactly as a double-word value and both the quotient and the reciprocal are
// corrected once by their residuals, so each result rounds once. Beyond 2^(p+1) the quotient rounds
// to ±1 (and ∞/∞ would be NaN); f′ is formed as r·r with r = 1/(1 + |x|), which underflows
// gracefully instead of overflowing (1 + |x|)², and is 0 once r² is below half the subnormal spacing.
// Float f′ on x86 is 1/(1 + |x|)² computed in double instead (in_double.hpp): 1 + |x| is exact there
// for |x| < 2^29, one division, one rounding to float (1.1x faster with AVX2). f stays in float:
// its double division (two per batch of floats) made it 0.7x as fast.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Softsign : detail::Elementwise<Softsign<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Softsign<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Softsign<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Softsign";

  template <class V>
  V eval(const V& x) const {
    // x clamped to ±2^(p+1), where the quotient rounds to ±1 already (and ∞/∞ would be NaN); NaN
    // passes. Two instructions where a select of ±1 took five.
    const V saturated = V(detail::pow2_v<T, std::numeric_limits<T>::digits + 1>);
    const V c = detail::at_most(detail::at_least(x, -saturated), saturated);
    if constexpr (detail::is_fast_v<Policy>) {
      // One division (as every fast kernel divides: detail/fast_math.hpp).
      return detail::divide(c, V(T(1)) + detail::abs(c));
    }
    const detail::dw<V> d = detail::two_sum(V(T(1)), detail::abs(c));
    return detail::divide_round(c, d, detail::divide(V(T(1)), d.hi));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) {  // 2^−160 (0 in float) beyond |x| = 2^80
        using D = std::decay_t<decltype(d)>;
        const D a = D(1.0) + detail::at_most(detail::abs(d), D(0x1p80));
        return detail::divide(D(1.0), a * a);
      });
    }
    const V a = detail::abs(x);
    if constexpr (detail::is_fast_v<Policy>) {  // one division, 1/∞ = 0 (cheaper than the estimate: above)
      const V r = detail::divide(V(T(1)), V(T(1)) + a);
      return r * r;
    }
    const detail::dw<V> d = detail::two_sum(V(T(1)), a);
    const V r = detail::divide(V(T(1)), d.hi);
    // r² in units of 2^−2k (k = 32 for float, 256 for double): the residual of the square stays
    // normal where r² is near the subnormal range, and the final scaling rounds once.
    constexpr int k = (1 - std::numeric_limits<T>::min_exponent) / 4;
    const V up = V(detail::pow2_v<T, k>);
    const detail::dw<V> reciprocal{r * up, detail::mul_add(-r, d.lo, detail::residual(V(T(1)), r, d.hi)) * (r * up)};
    const V square = detail::round(detail::mul_dw(reciprocal, reciprocal)) * V(detail::pow2_v<T, -2 * k>);
    // r² < 2^(min_exponent − digits − 1) (half the subnormal spacing) beyond this |x|.
    const V vanishing = V(detail::pow2_v<T, (std::numeric_limits<T>::digits - std::numeric_limits<T>::min_exponent) / 2 + 2>);
    return detail::select(a > vanishing, V(T(0)), square);
  }
};

// A lazy Eigen expression applying Softsign elementwise, vectorized inside Eigen's own loop:
// activ::softsign(W * x + b) needs no temporary.
template <class D>
auto softsign(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(Softsign<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Softsign, 20)
