// activ/detail/in_double.hpp — float kernels of the accurate policy evaluated in double.
//
// A float result wants 0.5 ULP of 2^−24. In double, a kernel gets there with plain arithmetic: an
// exponential within 2^−36 of its value, a product or two rounded at 2^−53, then one rounding to
// float. That is 0.5 ULP, unless the exact value lies within about 2^−11 ULP of a midpoint between
// floats, and it needs none of the double-word carries (TwoSum, TwoProd, a split power of two) that
// the same accuracy costs in float arithmetic. Nor a range branch: float's whole range is a normal
// range in double, so e^x needs no subnormal scaling for any x a float result can feel, and products
// with huge or tiny parameters neither overflow nor lose bits before the final rounding.
//
// On x86 (SSE2 and up) widening and narrowing a batch are one instruction per half, so a float batch
// runs as two double batches of the same arch. The scalar float path computes in double as well,
// with the same body: the scalar and batch paths keep giving the same bits. Other archs (NEON's
// widening is not reachable through xsimd 8.1 without a buffer) keep the float bodies.
#pragma once

#include "../policy.hpp"
#include "fast_math.hpp"
#include "simd.hpp"

namespace activ {
namespace detail {

inline constexpr bool float_in_double = XSIMD_WITH_SSE2 != 0;

// Whether an accurate float kernel takes its double body.
template <class T, class Policy>
inline constexpr bool computes_in_double_v = float_in_double && !is_fast_v<Policy> && std::is_same<T, float>::value;

#if XSIMD_WITH_SSE2
// A float batch's lower and upper halves as double batches of the same arch, and back.
template <class A>
struct double_halves {
  xsimd::batch<double, A> lo, hi;
};

template <class A>
inline double_halves<A> widen_halves(const xsimd::batch<float, A>& x) noexcept {
  using D = xsimd::batch<double, A>;
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(x) == 64) {
    const __m512 v = x;
    return {D(_mm512_cvtps_pd(_mm512_castps512_ps256(v))),
            D(_mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))))};
  }
#endif
#if XSIMD_WITH_AVX
  if constexpr (sizeof(x) == 32) {
    const __m256 v = x;
    return {D(_mm256_cvtps_pd(_mm256_castps256_ps128(v))), D(_mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)))};
  }
#endif
  if constexpr (sizeof(x) == 16) {
    const __m128 v = x;
    return {D(_mm_cvtps_pd(v)), D(_mm_cvtps_pd(_mm_movehl_ps(v, v)))};
  }
}

template <class A>
inline xsimd::batch<float, A> narrow_halves(const xsimd::batch<double, A>& lo,
                                            const xsimd::batch<double, A>& hi) noexcept {
  using B = xsimd::batch<float, A>;
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(B) == 64) {
    const __m512d low = _mm512_castps_pd(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)));
    return B(_mm512_castpd_ps(_mm512_insertf64x4(low, _mm256_castps_pd(_mm512_cvtpd_ps(hi)), 1)));
  }
#endif
#if XSIMD_WITH_AVX
  if constexpr (sizeof(B) == 32) {
    return B(_mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi), 1));
  }
#endif
  if constexpr (sizeof(B) == 16) return B(_mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi)));
}
#endif

// body(x) for a float x or batch of floats, evaluated in double: body is generic over double and
// batch<double, A> and is applied to the widened value (to each half of a batch); its result is
// rounded once to float.
template <class V, class Body>
inline V in_double(const V& x, const Body& body) noexcept {
#if XSIMD_WITH_SSE2
  if constexpr (value_traits<V>::is_batch) {
    const auto halves = detail::widen_halves(x);
    return detail::narrow_halves(body(halves.lo), body(halves.hi));
  } else
#endif
  {
    static_assert(!value_traits<V>::is_batch, "activ: in_double needs x86 batches");
    return static_cast<float>(body(static_cast<double>(x)));
  }
}

// (e^r − 1)/r = 1 + r·h(r) on |r| ≤ ln 2/2, h of degree 6 (a Chebyshev fit, coefficients rounded
// to double): within 2^−36.5 of it relatively. e^r = 1 + r·(1 + r·h) and e^r − 1 = r·(1 + r·h) share
// it; each is within 2^−36 of its value, which leaves a float result 2^−12 ULP from correct rounding.
template <class V>
inline V expm1_ratio_for_float(const V& r) noexcept {
  static constexpr double h[] = {0x1.0000000000000p-1, 0x1.55555567532adp-3,  0x1.5555555c87148p-5,
                                 0x1.1110c632a3088p-7, 0x1.6c16858b7acb9p-10, 0x1.a15179d80ae96p-13,
                                 0x1.a1132015ba37ep-16};
  return detail::mul_add(r, detail::horner(r, h), V(1.0));
}

// e^d in double for a float result: d clamped at `lowest` (≥ −700, so that 2^n is normal; a caller
// picks it where e^d times its largest factor rounds to 0 in float), d = n·ln 2 + r, |r| ≤ ln 2/2.
// NaN passes through. The product is rounded on its own (detail::product): a sum it feeds, 1 + e^d
// or a softmax's, is not fused into it in some inlined copies and not in others.
template <class V>
inline V exp_for_float(const V& d, double lowest = -120.0) noexcept {
  const fast::exp_pair<V> e = fast::reduce(d, V(lowest));  // e.p = r
  return detail::product(detail::mul_add(e.p, detail::expm1_ratio_for_float(e.p), V(1.0)), detail::pow2_shifted(e.t));
}

// e^d − 1 in double for d ≤ 0 (and NaN) and a float result, with full relative accuracy near 0:
// 2^n·(1 + p) − 1 = 2^n·p − (1 − 2^n) with p = e^r − 1, 1 − 2^n exact, one rounding. d is clamped
// at −40, where the result is −1 in double. −0 gives −0 (r·(…) keeps r's sign, and −|1 − s| is −0
// where s = 1: a negation, which xsimd writes as 0 − a on some archs, would give +0).
template <class V>
inline V expm1_for_float(const V& d) noexcept {
  const fast::exp_pair<V> e = fast::reduce(d, V(-40.0));
  const V s = detail::pow2_shifted(e.t);
  return detail::mul_add(s, e.p * detail::expm1_ratio_for_float(e.p), detail::neg_abs(V(1.0) - s));
}

// σ(z) = 1/(1 + e^−z) in double for a float result, from e^−|z| clamped at `lowest` (−120: σ(z)
// rounds to 0 in float below −104; a caller that multiplies it by up to 2^128 passes −200). One
// division; z = ±∞ gives 1 and e^lowest (0 in float), NaN gives NaN.
template <class V>
inline V sigmoid_for_float(const V& z, double lowest = -120.0) noexcept {
  const V e = detail::exp_for_float(detail::neg_abs(z), lowest);
  return detail::divide(detail::select(z > V(0.0), V(1.0), e), V(1.0) + e);
}

// σ(z)·σ(−z) = e/(1 + e)² with e = e^−|z| (clamped at −120, where it rounds to 0 in float times
// anything up to 4): σ′, and tanh′ = 4·σ(2|x|)·σ(−2|x|). One division.
template <class V>
inline V sigmoid_product_for_float(const V& z) noexcept {
  const V e = detail::exp_for_float(detail::neg_abs(z));
  return detail::divide(e, (V(1.0) + e) * (V(1.0) + e));
}

// log(1 + e) in double for e ∈ [0, 1] (and NaN) and a float result: w = 1 + e with its rounding
// error c (Fast2Sum), w = 2^k·m with m ∈ [√2/2, √2], log m = 2·atanh s with s = (m − 1)/(m + 1),
// |s| ≤ 0.1716, by its series to s^13 (within 2^−37), and c/w ≈ c·2r·2^−k with r = 1/(m + 1): c is
// below 2^−53·w, and 2r is within 17 % of 1/m. One division. A tiny e gives e itself (w = 1, c = e).
template <class V>
inline V log1p_for_float(const V& e) noexcept {
  static constexpr double series[] = {2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13};
  const V w = V(1.0) + e;
  const V c = (V(1.0) - w) + e;
  const auto above = w > V(0x1.6a09e667f3bcdp+0);  // √2
  const V m = detail::select(above, w * V(0.5), w);
  const V r = detail::divide(V(1.0), m + V(1.0));
  const V s = (m - V(1.0)) * r;
  const V s2 = s * s;
  const V log_m = detail::mul_add(s * s2, detail::horner(s2, series), s + s);  // 2s + s³·(2/3 + …)
  const V log_w = detail::mul_add(c, detail::select(above, r, r + r), log_m);
  return detail::select(above, V(0x1.62e42fefa39efp-1), V(0.0)) + log_w;  // + k·ln 2
}

}  // namespace detail
}  // namespace activ
