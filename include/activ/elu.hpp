// activ/elu.hpp — ELU: f(x) = x > 0 ? x : α·expm1(x), f′(x) = x > 0 ? 1 : α·eˣ (f′(0) = α).
// expm1 keeps full relative accuracy near 0, where eˣ − 1 would lose every digit; both it and eˣ
// come as double-word values, so that the product with α rounds once. Float on x86 computes all of
// it in double instead (in_double.hpp), rounded once at the end. Where x > 0 the exponential's
// value is not used (the lanes are selected away), so it is not clamped there.
#pragma once

#include "detail/checks.hpp"
#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct ELU : detail::Elementwise<ELU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::ELU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::ELU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "ELU";

  T alpha;

  explicit ELU(T alpha_ = T(1)) : alpha(alpha_) { detail::require_finite(name, "alpha", alpha); }

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [a = double(alpha)](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        return detail::select(d > D(0.0), d, D(a) * detail::expm1_for_float(d));
      });
    }
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::select(x > V(T(0)), x, detail::fast::expm1_nonpositive_times(x, alpha));
    }
    const V negative = detail::at_most(x, V(T(0)));  // min(x, 0): one instruction, NaN passes through
    return detail::select(x > V(T(0)), x, detail::mul_round(V(alpha), detail::expm1_dw(negative)));
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      // α·e^x ≥ 2^−150 needs x > −194 for |α| < 2^128: e^x is clamped at −200.
      return detail::in_double(x, [a = double(alpha)](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        return detail::select(d > D(0.0), D(1.0), D(a) * detail::exp_for_float(d, -200.0));
      });
    }
    const V negative = detail::at_most(x, V(T(0)));
    // α·e^x = (α·(hi + lo))·2^n: a huge α is scaled by 1/4 first, so that the product with
    // hi + lo < 1.42 cannot overflow before the (negative) power of two brings it back; a tiny α
    // by 2^k, so that the product is normal (mul_round's own scaling would round it into the
    // subnormal range before the power of two: two roundings) and large enough for ldexp's one
    // rounding (|α·(hi + lo)| ≥ 2^(min_exponent/2 − 1)).
    constexpr int k = -std::numeric_limits<T>::min_exponent;  // 125 (float), 1021 (double)
    const bool huge = std::fabs(alpha) > T(0x1p100);
    const bool tiny = std::fabs(alpha) < detail::pow2_v<T, -k / 2>;
    const T a = huge ? alpha / T(4) : tiny ? alpha * detail::pow2_v<T, k> : alpha;
    const int shift = huge ? 2 : tiny ? -k : 0;
    if constexpr (detail::is_fast_v<Policy>) {
      const auto e = detail::fast::exp_nonpositive_parts(negative);
      return detail::select(x > V(T(0)), V(T(1)), detail::fast::scaled_nonpositive<3>(V(a) * e.p, e, shift));
    }
    const auto e = detail::exp_reduce(detail::clamp_exp_argument(negative));
    const V y = detail::ldexp<3>(detail::mul_round(V(a), detail::dw<V>{e.hi, e.lo}), e.n + V(T(shift)));
    return detail::select(x > V(T(0)), V(T(1)), y);
  }
  // f′ = y > 0 ? 1 : y + α (for α ≥ 0, where y ≤ 0 exactly when x ≤ 0). Where y is close to −α
  // the sum cancels: the result is exact for the rounded y, not for x.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return detail::select(y > V(T(0)), V(T(1)), y + V(alpha));
  }
  void check_from_output(const char* entry) const {
    if (!(alpha >= T(0))) detail::fail_from_output<T>(name, entry, "alpha", alpha);
  }
};

// A lazy Eigen expression applying ELU elementwise, vectorized inside Eigen's own loop:
// activ::elu(W * x + b) needs no temporary.
template <class D>
auto elu(const Eigen::DenseBase<D>& x, typename D::Scalar alpha = typename D::Scalar(1)) {
  return x.derived().unaryExpr(ELU<typename D::Scalar>{alpha});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(ELU, 50)
