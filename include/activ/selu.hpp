// activ/selu.hpp — SELU: f(x) = λ·(x > 0 ? x : α·expm1(x)), f′(x) = λ·(x > 0 ? 1 : α·eˣ)
// (f′(0) = λα), with the fixed λ and α of Klambauer et al., "Self-Normalizing Neural Networks"
// (2017), to the digits PyTorch uses. λ and λα are carried as double-word constants (their exact
// values split into T's rounding and the remainder), so that no product rounds twice. Float on x86
// computes in double instead (in_double.hpp), with λ and λα rounded to double, rounded once at the end.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {
namespace detail {

// λ = 1.0507009873554804934193349852946 and λα = λ·1.6732632423543772848170429916717 exactly,
// split as hi + lo with hi = λ rounded to T (computed with exact rational arithmetic).
template <class T>
struct selu_constants;
template <>
struct selu_constants<float> {
  static constexpr float lambda_hi = 0x1.0cfabep+0f, lambda_lo = -0x1.2adddap-25f;
  static constexpr float lambda_alpha_hi = 0x1.c212ccp+0f, lambda_alpha_lo = 0x1.903c0cp-26f;
};
template <>
struct selu_constants<double> {
  static constexpr double lambda_hi = 0x1.0cfabd6a91132p+0, lambda_lo = 0x1.6fc7d272f2695p-55;
  static constexpr double lambda_alpha_hi = 0x1.c212cc640f031p+0, lambda_alpha_lo = 0x1.05161b045a1fep-56;
};

}  // namespace detail

template <class T, class Policy>
struct SELU : detail::Elementwise<SELU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::SELU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::SELU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "SELU";
  using C = detail::selu_constants<T>;

  static constexpr T lambda = C::lambda_hi;
  static constexpr T alpha = T(1.6732632423543772848170429916717L);
  static constexpr T lambda_alpha = C::lambda_alpha_hi;  // λα rounded once from its exact value

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        using CD = detail::selu_constants<double>;
        return detail::select(d > D(0.0), D(CD::lambda_hi) * d, D(CD::lambda_alpha_hi) * detail::expm1_for_float(d));
      });
    }
    const auto positive = x > V(T(0));
    if constexpr (detail::is_fast_v<Policy>) {
      return detail::select(positive, V(lambda) * x, detail::fast::expm1_nonpositive_times(x, lambda_alpha));
    }
    const V negative = detail::select(positive, V(T(0)), x);  // NaN passes through
    const V below = detail::round(detail::mul_dw(detail::dw<V>{V(C::lambda_alpha_hi), V(C::lambda_alpha_lo)},
                                                 detail::expm1_dw(negative)));
    // Near the subnormal range expm1(x) = x, and mul_round forms the product with λ or λα so that
    // its low part does not underflow.
    const auto small = detail::abs(x) < V(detail::pow2_v<T, std::numeric_limits<T>::min_exponent + std::numeric_limits<T>::digits>);
    const detail::dw<V> coefficient{detail::select(positive, V(C::lambda_hi), V(C::lambda_alpha_hi)),
                                    detail::select(positive, V(C::lambda_lo), V(C::lambda_alpha_lo))};
    return detail::select(positive || small, detail::mul_round(x, coefficient), below);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [](const auto& d) {  // λα·e^x rounds to 0 in float below −104
        using D = std::decay_t<decltype(d)>;
        using CD = detail::selu_constants<double>;
        return detail::select(d > D(0.0), D(double(lambda)), D(CD::lambda_alpha_hi) * detail::exp_for_float(d, -120.0));
      });
    }
    const detail::dw<V> la{V(C::lambda_alpha_hi), V(C::lambda_alpha_lo)};
    const V negative = detail::at_most(x, V(T(0)));
    if constexpr (detail::is_fast_v<Policy>) {
      const auto e = detail::fast::exp_nonpositive_parts(negative);
      return detail::select(x > V(T(0)), V(lambda), detail::fast::scaled_nonpositive<2>(V(lambda_alpha) * e.p, e));
    }
    const auto e = detail::exp_reduce(detail::clamp_exp_argument(negative));
    const V below = detail::ldexp<2>(detail::round(detail::mul_dw(la, detail::dw<V>{e.hi, e.lo})), e.n);
    return detail::select(x > V(T(0)), V(lambda), below);
  }
  // f′ = y > 0 ? λ : y + λα (y cancels against −λα where x ≪ 0: exact for the rounded y only).
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return detail::select(y > V(T(0)), V(lambda), (y + V(C::lambda_alpha_hi)) + V(C::lambda_alpha_lo));
  }
};

// A lazy Eigen expression applying SELU elementwise, vectorized inside Eigen's own loop:
// activ::selu(W * x + b) needs no temporary.
template <class D>
auto selu(const Eigen::DenseBase<D>& x) {
  return x.derived().unaryExpr(SELU<typename D::Scalar>{});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(SELU, 50)
