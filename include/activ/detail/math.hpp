// activ/detail/math.hpp — exp, expm1, log1p and the logistic pair, written once over V = T or
// xsimd::batch<T, A>, with double-word intermediate results.
//
// Why our own: xsimd 8.1's scalar exp is libm while its batch exp is a polynomial (the two paths
// would disagree), its float exp returns 0 where exp(x) is subnormal (x < −87.68) and +∞ on
// [88.376, 88.7228] where exp(x) is still finite, and neither it nor any peer gives the ~2^−(p+4)
// relative accuracy that an activation built on top needs to stay within 1 ULP after its own
// rounding. These kernels return e^x, e^x − 1 and log(1 + x) as double-word values hi + lo
// (simd.hpp) whose relative error is far below T's precision, so that each activation rounds once
// at the end; subnormal results are scaled once, at the very end.
//
// exp (Cody & Waite, "Software Manual for the Elementary Functions", 1980; Tang, "Table-driven
// implementation of the exponential function", 1989, without the table):
//   x = n·ln2 + r_hi + r_lo with n = round(x·log2e) (the 1.5·2^p shifter trick). ln2_hi has few
//   enough significant bits that n·ln2_hi and r_hi = x − n·ln2_hi are exact for every n reached;
//   r_lo = −n·ln2_lo is tiny and nearly exact.
//   e^r − 1 = r_hi + (r_lo + r²·q(r)), q ≈ (e^r − 1 − r)/r² a minimax polynomial on |r| ≤ 0.3472
//   (Sollya fpminimax, relative error 2^−28 for float with degree 5, 2^−59 for double with degree
//   10); the sum is formed with TwoSum, and e^r = 1 + (e^r − 1) with Fast2Sum.
//   Measured relative error of hi + lo: < 2^−27 (float), < 2^−56 (double).
// log1p (the arrangement of fdlibm's e_log.c, in double-word): 1 + a = u + u_lo (TwoSum),
//   u = 2^k·m with m ∈ [√2/2, √2), f = m − 1 exact, s = f/(2 + f) as a double-word quotient,
//   log(1 + f) = 2s + s³·T(s²) with T the atanh series tail (Sollya fpminimax on |s| ≤ 0.1717:
//   4 terms for float, relative 2^−26; 8 for double, 2^−55), plus k·ln2 and the second-order
//   correction log(1 + u_lo/u).
// Error of the rounded kernels (tests/test_math.cpp, every path): ≤ 0.5 ULP + a few thousandths,
// subnormal results within 0.5 of the subnormal spacing plus as much.
#pragma once

#include "simd.hpp"

#include <cstddef>

namespace activ {
namespace detail {

// The coefficients of p(−x) from those of p(x): the odd ones negated. A polynomial in −x costs
// no negation of x.
template <class T, std::size_t N>
struct coefficients {
  T c[N];
};
template <class T, std::size_t N>
constexpr coefficients<T, N> alternating(const T (&c)[N]) noexcept {
  coefficients<T, N> a{};
  for (std::size_t i = 0; i < N; ++i) a.c[i] = i % 2 == 1 ? -c[i] : c[i];
  return a;
}

template <class T>
struct exp_constants;

template <>
struct exp_constants<float> {
  static constexpr float log2e = 0x1.715476p+0f;
  // ln2 = ln2_hi + ln2_lo: ln2_hi = 0x1.62e4p−1 has 15 significant bits, so n·ln2_hi is exact for
  // |n| < 2^9 and x − n·ln2_hi is exact (it is a multiple of ulp(x) or 2^−16 below 0.35).
  static constexpr float ln2_hi = 0x1.62e4p-1f;
  static constexpr float ln2_lo = 0x1.7f7d1cp-20f;
  static constexpr float shifter = 0x1.8p23f;  // 1.5·2^23: x + shifter rounds x to an integer
  // The reduction's range: below −200 every use of e^x (times any finite factor) rounds to 0, and
  // n ≥ −289 keeps 2^n within three normal factors; above 89, e^x overflows.
  static constexpr float lowest = -200.0f;
  static constexpr float highest = 89.0f;
  // q(r) ≈ (e^r − 1 − r)/r² on [−0.3472, 0.3472], relative error 2^−28 (Sollya fpminimax), and
  // its part beyond the constant 1/2: q3(r) = (q(r) − 1/2)/r.
  static constexpr float q[] = {0x1p-1f, 0x1.555556p-3f, 0x1.5555p-5f, 0x1.110ffp-7f, 0x1.6d30aap-10f, 0x1.a26c1cp-13f};
  static constexpr float q3[] = {0x1.555556p-3f, 0x1.5555p-5f, 0x1.110ffp-7f, 0x1.6d30aap-10f, 0x1.a26c1cp-13f};
  // The activ::fast policy's q: degree 4, relative error 2^−23 (2^−27 of e^r).
  static constexpr float q_fast[] = {0x1p-1f, 0x1.5554dcp-3f, 0x1.555568p-5f, 0x1.120c5ap-7f, 0x1.6caf36p-10f};
  // The activ::fast policy's e^r itself where no expm1 is needed: degree 6 with the constant 1,
  // relative error 2^−28 on [−0.3476, 0.3476] (Sollya fpminimax); one operation fewer than 1 + q's form.
  static constexpr float exp_fast[] = {1.0f, 1.0f, 0x1.fffff8p-2f, 0x1.55548ap-3f, 0x1.555b7cp-5f, 0x1.123e7ep-7f, 0x1.687486p-10f};
  static constexpr coefficients<float, 7> exp_fast_neg = alternating(exp_fast);  // e^−r
  // T(w) ≈ (2·atanh(s) − 2s)/s³, w = s², |s| ≤ 0.1717, relative error 2^−26 (Sollya fpminimax).
  static constexpr float atanh_tail[] = {0x1.555556p-1f, 0x1.99986cp-2f, 0x1.24c1fep-2f, 0x1.ce64bep-3f};
};

template <>
struct exp_constants<double> {
  static constexpr double log2e = 0x1.71547652b82fep+0;
  // fdlibm's split: ln2_hi has 32 significant bits, n·ln2_hi is exact for |n| < 2^20.
  static constexpr double ln2_hi = 0x1.62e42feep-1;
  static constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  static constexpr double shifter = 0x1.8p52;  // 1.5·2^52
  static constexpr double lowest = -1600.0;
  static constexpr double highest = 710.0;
  // relative error 2^−59 (Sollya fpminimax, degree 10)
  static constexpr double q[] = {0x1p-1,
                                 0x1.5555555555557p-3,
                                 0x1.5555555555552p-5,
                                 0x1.111111111003ep-7,
                                 0x1.6c16c16c1893ep-10,
                                 0x1.a01a01ac2d17fp-13,
                                 0x1.a01a0197bdef1p-16,
                                 0x1.71de0173c5991p-19,
                                 0x1.27e500c3243abp-22,
                                 0x1.af4f4e555045ep-26,
                                 0x1.1f335670ebfb9p-29};
  static constexpr const double (&q_fast)[11] = q;
  static constexpr coefficients<double, 11> q_fast_neg = alternating(q);  // q(−r)
  static constexpr double q3[] = {0x1.5555555555557p-3,  0x1.5555555555552p-5,  0x1.111111111003ep-7,
                                  0x1.6c16c16c1893ep-10, 0x1.a01a01ac2d17fp-13, 0x1.a01a0197bdef1p-16,
                                  0x1.71de0173c5991p-19, 0x1.27e500c3243abp-22, 0x1.af4f4e555045ep-26,
                                  0x1.1f335670ebfb9p-29};
  // relative error 2^−55 (Sollya fpminimax, 8 terms)
  static constexpr double atanh_tail[] = {0x1.5555555555555p-1, 0x1.9999999999d59p-2, 0x1.249249242ee25p-2,
                                          0x1.c71c725c5d088p-3, 0x1.745cdb762142bp-3, 0x1.3b2158f4ca1cfp-3,
                                          0x1.0f4a1c8d4417dp-3, 0x1.1023668aba59ap-3};
};

// c[I] + c[I+1]·x + … + c[N−1]·x^(N−1−I) by Horner's rule with the one mul_add policy, unrolled
// by the template itself: as a loop, GCC 12 left the 11 terms of a coefficients<double, 11> rolled,
// loading each coefficient in every call (the fast σ′ for double 1.4x slower).
template <std::size_t I = 0, class V, class T, std::size_t N>
inline V horner(const V& x, const T (&c)[N]) noexcept {
  if constexpr (I + 1 == N) {
    return V(c[I]);
  } else {
    return detail::mul_add(detail::horner<I + 1>(x, c), x, V(c[I]));
  }
}

// ---- powers of two -------------------------------------------------------------------------
// 2^n from the integer n carried as a floating value (exact): n + shifter puts n in the low bits.
// A NaN n (whose product with a NaN is all that is used) gives arbitrary bits: the scalar path does
// that integer arithmetic unsigned, where wrapping is defined (a signed left shift of a negative or
// too large value is undefined behaviour before C++20; the batch shifts are instructions).
// 2^(n + extra) from t = n + shifter, whose low bits hold n: the sum a reduction forms anyway, so
// that 2^n needs no conversion of n (two integer instructions; extra joins the constant).
template <class V>
inline V pow2_shifted(const V& t, int extra = 0) noexcept {
  using T = scalar_t<V>;
  using I = int_t<V>;
  const I offset = I(bits_of<T>::exponent_bias + extra - detail::to_bits(exp_constants<T>::shifter));
  const I k = detail::wrapping_add(detail::to_bits(t), offset);
  return detail::from_bits<V>(detail::wrapping_shift_left(k, bits_of<T>::mantissa_bits));
}

template <class V>
inline V pow2(const V& n) noexcept {
  using T = scalar_t<V>;
#if XSIMD_WITH_AVX512F
  if constexpr (value_traits<V>::is_batch && sizeof(V) == 64) {  // one instruction, the same value
    if constexpr (std::is_same<T, float>::value) {
      return V(_mm512_scalef_ps(_mm512_set1_ps(1.0f), n));
    } else {
      return V(_mm512_scalef_pd(_mm512_set1_pd(1.0), n));
    }
  }
#endif
  return detail::pow2_shifted(n + V(exp_constants<T>::shifter));
}

// Whether v·2^n is one instruction (AVX-512's scalef, correctly rounded) rather than factors.
template <class V>
constexpr bool scales_in_one_instruction() noexcept {
#if XSIMD_WITH_AVX512F
  if constexpr (value_traits<V>::is_batch) return sizeof(V) == 64;
#endif
  return false;
}

// v·2^n for an integer-valued n, rounded once: 2^n as Parts normal factors, so the product stays
// normal until the last multiplication, which rounds once into the subnormal range or overflows.
// That holds for |v| ≥ 2^(min_exponent + 2·digits + 4) (2^−73 for float, 2^−911 for double), which
// every kernel's v near 1 meets (e^r, σ's parts, their double-word low parts, ratios of them): where
// the result is subnormal, n ≥ min_exponent − digits − 2 − log2|v|, and the first Parts − 1
// factors (at most 2/3 of n, plus 1) then keep |v|·2^(n1+n2) normal. A smaller v may round at each
// factor — see ldexp_any. n is clamped to where the factors are normal; beyond, the result is 0 or
// ∞ for the |v| < 2^(p+2) (Parts = 2) or any finite v (Parts = 3) that the kernels pass.
template <int Parts, class V>
inline V ldexp_factors(const V& v, const V& n) noexcept {
  using T = scalar_t<V>;
#if XSIMD_WITH_AVX512F
  // AVX-512 scales with one correctly rounded instruction (the same result as the factors below).
  if constexpr (value_traits<V>::is_batch && sizeof(V) == 64) {
    if constexpr (std::is_same<T, float>::value) {
      return V(_mm512_scalef_ps(v, n));
    } else {
      return V(_mm512_scalef_pd(v, n));
    }
  }
#endif
  const T reach = T(Parts * (bits_of<T>::exponent_bias - 2));  // 250 (float), 2042 (double) for 2 parts
  const V m = detail::at_least(detail::at_most(n, V(reach)), V(-reach));
  if constexpr (Parts == 2) {
    const V n1 = detail::floor_half(m);
    return v * detail::pow2(n1) * detail::pow2(m - n1);
  } else {
    static_assert(Parts == 3, "ldexp: two or three factors");
    const V n1 = detail::floor_third(m);
    const V n2 = detail::floor_half(m - n1);
    return v * detail::pow2(n1) * detail::pow2(n2) * detail::pow2(m - n1 - n2);
  }
}

// v·2^n as ldexp_factors gives it. Where 2^n is itself a normal number in every lane
// (min_exponent − 1 ≤ n < max_exponent: |z| below about 87 for float's e^z, 708 for double's, the
// common case by far) it is one power of two and one multiplication, which rounds once, into the
// subnormal range too: the same value for a compare and a predictable branch instead of the
// factors. A batch with any other lane (±∞, NaN, a huge |z|) takes the factors for all its lanes;
// each lane's value is the same either way, so the scalar and batch paths agree.
template <int Parts, class V>
inline V ldexp(const V& v, const V& n) noexcept {
  using T = scalar_t<V>;
  using L = std::numeric_limits<T>;
  if constexpr (!detail::scales_in_one_instruction<V>()) {
    if (detail::all_of((n >= V(T(L::min_exponent - 1))) && (n < V(T(L::max_exponent))))) return v * detail::pow2(n);
  }
  return detail::ldexp_factors<Parts>(v, n);
}

// ldexp for any v, for the few kernels whose v can be small (x·σ for a tiny x, y/β for a huge β):
// there the factors of 2^n took v = 2^−126 (float) below the normal range at once and each further
// one rounded again (Swish with β = 8·10^37 at x = −3.1·10^−38 gave another result than AVX-512's
// scalef; found by tests/fuzz/fuzz_elementwise). A v below 2^(min_exponent/2) is scaled by
// 2^−min_exponent first (exactly; then |v| ≥ 2^−digits) and n lowered to match. On AVX-512 this is
// ldexp itself; elsewhere it costs a compare, two selects and two arithmetic operations, which is
// why it is not ldexp.
template <int Parts, class V>
inline V ldexp_any(const V& v, const V& n) noexcept {
  using T = scalar_t<V>;
  if constexpr (detail::scales_in_one_instruction<V>()) return detail::ldexp<Parts>(v, n);
  constexpr int k = -std::numeric_limits<T>::min_exponent;  // 125 (float), 1021 (double)
  const auto small = detail::abs(v) < V(pow2_v<T, -k / 2>);
  return detail::ldexp<Parts>(detail::select(small, v * V(pow2_v<T, k>), v),
                              n - detail::select(small, V(T(k)), V(T(0))));
}

// ---- exp -------------------------------------------------------------------------------------
// e^x = 2^n·(hi + lo), and e^r − 1 = t_hi + t_lo for the reduced argument r = x − n·ln2.
template <class V>
struct exp_parts {
  V hi;  // hi + lo = e^r ∈ [0.70, 1.42]
  V lo;
  V t_hi;  // t_hi + t_lo = e^r − 1
  V t_lo;
  V n;  // an integer, as a floating value
};

// For x within [lowest, highest] (and NaN, which gives NaN parts).
template <class V>
inline exp_parts<V> exp_reduce(const V& x) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  const V shifter = V(C::shifter);
  const V n = detail::mul_add(x, V(C::log2e), shifter) - shifter;
  const V r_hi = detail::neg_mul_add(n, V(C::ln2_hi), x);  // exact, fused or not (see ln2_hi)
  // e^r − 1 = r + r²/2 + r³·q3(r) with r = r_hi + r_lo as a double-word value: the two leading
  // terms exact (r²/2 by TwoProduct), each sum error-free, and only the small cubic part and the
  // first-order effect of r's low part (d(r²/2)/dr = r) rounded: each of these would otherwise
  // cost up to 0.1 ULP of e^r.
  const dw<V> r = detail::fast_two_sum(r_hi, detail::product(-n, V(C::ln2_lo)));
  const dw<V> r2 = detail::two_product(r.hi, r.hi);
  const V half = V(T(0.5));
  const V cubic = detail::product(r2.hi * r.hi, detail::horner(r.hi, C::q3));
  const dw<V> t1 = detail::two_sum(r.hi, r2.hi * half);
  const dw<V> t2 = detail::fast_two_sum(t1.hi, cubic);
  const V t_lo = t2.lo + (t1.lo + detail::mul_add(r2.lo, half, detail::mul_add(r.hi, r.lo, r.lo)));
  const dw<V> e = detail::fast_two_sum(V(T(1)), t2.hi);
  return {e.hi, e.lo + t_lo, t2.hi, t_lo, n};
}

template <class V>
inline V clamp_exp_argument(const V& x) noexcept {
  using C = exp_constants<scalar_t<V>>;
  const V lo = V(C::lowest), hi = V(C::highest);
  return detail::at_least(detail::at_most(x, hi), lo);  // NaN passes through
}

// e^x for every x: NaN → NaN, −∞ → 0, +∞ → +∞, subnormal results rounded once.
template <class V>
inline V exp(const V& x) noexcept {
  const exp_parts<V> e = detail::exp_reduce(detail::clamp_exp_argument(x));
  return detail::ldexp<2>(e.hi + e.lo, e.n);
}

// e^x − 1 as a double-word value, for every x below the overflow threshold (and NaN).
template <class V>
inline dw<V> expm1_dw(const V& x) noexcept {
  using T = scalar_t<V>;
  const exp_parts<V> e = detail::exp_reduce(detail::clamp_exp_argument(x));
  // n ≠ 0: 2^n·(hi + lo) − 1, where the scaled hi and 1 differ by at least a factor √2.
  const V b_hi = detail::ldexp<2>(e.hi, e.n);
  const V b_lo = detail::ldexp<2>(e.lo, e.n);
  const dw<V> s = detail::two_sum(b_hi, V(T(-1)));
  const auto reduced = e.n == V(T(0));
  const V s_lo = detail::select(s.hi - s.hi == V(T(0)), s.lo + b_lo, V(T(0)));  // 0 where e^x overflowed
  return {detail::select(reduced, e.t_hi, s.hi), detail::select(reduced, e.t_lo, s_lo)};
}

// e^x − 1 for every x: NaN → NaN, −∞ → −1, +∞ → +∞.
template <class V>
inline V expm1(const V& x) noexcept {
  return detail::round(detail::expm1_dw(x));
}

// ---- log1p -----------------------------------------------------------------------------------
// log(1 + a_hi + a_lo) as a double-word value, for a_hi > −1 finite (|a_lo| ≤ ulp(a_hi)).
template <class V>
inline dw<V> log1p_dw(const V& a_hi, const V& a_lo) noexcept {
  using T = scalar_t<V>;
  using I = int_t<V>;
  using B = bits_of<T>;
  using C = exp_constants<T>;
  const V one = V(T(1));
  const dw<V> u = detail::two_sum(one, a_hi);
  const V u_lo = u.lo + a_lo;
  // u = 2^k·m with m ∈ [√2/2, √2): shift u's bits so that the exponent field changes at √2/2.
  const V sqrt_half = V(T(0.70710678118654752440));
  const I offset = detail::to_bits(one) - detail::to_bits(sqrt_half);
  const I mantissa_mask = I((typename B::type(1) << B::mantissa_bits) - 1);
  const I iu = detail::wrapping_add(detail::to_bits(u.hi), offset);
  const V m = detail::from_bits<V>((iu & mantissa_mask) + detail::to_bits(sqrt_half));
  const V shifter = V(C::shifter);
  const V k_reduced =
      detail::from_bits<V>(detail::to_bits(shifter) + ((iu >> B::mantissa_bits) - I(B::exponent_bias))) - shifter;
  // Where a itself is in [√2/2 − 1, √2 − 1], f = a (double-word, k = 0) needs no reduction, and
  // must not have one: u_lo would then be as large as the result.
  const auto direct = (a_hi >= V(T(-0.29289321881345247560))) && (a_hi <= V(T(0.41421356237309504880)));
  const V zero = V(T(0));
  const V f_hi = detail::select(direct, a_hi, m - one);  // m − 1 is exact
  const V f_lo = detail::select(direct, a_lo, zero);
  const V k = detail::select(direct, zero, k_reduced);
  // s = f/(2 + f) as s_hi + s_lo, with 2 + f = d_hi + d_lo exactly.
  const dw<V> d0 = detail::fast_two_sum(V(T(2)), f_hi);
  const V d_lo = d0.lo + f_lo;
  const V r = detail::divide(one, d0.hi);
  const V s_hi = detail::product(f_hi, r);
  const V s_lo = detail::product(detail::residual(f_hi, s_hi, d0.hi) + detail::mul_add(-s_hi, d_lo, f_lo), r);
  const V w = s_hi * s_hi;
  // log(u + u_lo) = log(u) + c − c²/2 with c = u_lo/u (|c| ≤ 2^−p: the next term is below 2^−3p;
  // and log(u) ≥ 0.34 here, so c's own rounding is negligible).
  const V c = detail::select(direct, zero, detail::divide(u_lo, u.hi));
  const V correction = detail::mul_add(c, V(T(-0.5)) * c, c);
  const dw<V> main = detail::two_sum(k * V(C::ln2_hi), s_hi + s_hi);  // both exact
  // 2·atanh(s_hi + s_lo) − 2·s_hi = s_hi³·T(s_hi²) + 2·s_lo/(1 − s²) to first order in s_lo.
  const V two_s_lo = s_lo + s_lo;
  const V tail = detail::mul_add(s_hi * w, detail::horner(w, C::atanh_tail), detail::mul_add(two_s_lo, w, two_s_lo));
  const V lo = main.lo + (tail + detail::mul_add(k, V(C::ln2_lo), correction));
  // Below 2^−(p+1), log1p(a) = a to T's precision (a²/2 is below half an ULP of a), and s = a/2
  // would lose a subnormal a's last bit.
  const auto tiny = detail::abs(a_hi) < V(detail::pow2_v<T, -(std::numeric_limits<T>::digits + 1)>);
  return {detail::select(tiny, a_hi, main.hi), detail::select(tiny, a_lo, lo)};
}

// log(1 + y) for every y: NaN → NaN, y < −1 → NaN, −1 → −∞, +∞ → +∞.
template <class V>
inline V log1p(const V& y) noexcept {
  using T = scalar_t<V>;
  const T inf = std::numeric_limits<T>::infinity();
  V result = detail::round(detail::log1p_dw(y, V(T(0))));
  const V u = V(T(1)) + y;
  result = detail::select(u == V(inf), V(inf), result);
  result = detail::select(u == V(T(0)), V(-inf), result);
  return detail::select(u < V(T(0)), V(std::numeric_limits<T>::quiet_NaN()), result);
}

// ---- the logistic pair --------------------------------------------------------------------
// σ(|z|) and σ(−|z|) from e = e^−|z| = 2^n·E: σ(|z|) = 1/(1 + e) and σ(−|z|) = E/(1 + e)·2^n, both
// as double-word quotients (one reciprocal, each corrected once by its exact residual), the second
// scaled by 2^−n so that it stays normal where σ(−|z|) is subnormal or underflows. dz, the
// rounding error of z = β·x when z is such a product, is carried to first order:
// e^−|z+dz| = e^−|z|·(1 − sign(z)·dz). NaN gives NaN in both.
template <class V>
struct logistic_parts {
  dw<V> positive;  // σ(|z|)
  dw<V> negative;  // σ(−|z|)·2^−n
  V n;
};

// e^−|z+dz| = 2^n·(hi + lo) for |dz| ≤ ulp(z): e^−|z|·(1 − sign(z)·dz) to first order (the next
// term, dz²/2, is below 2^−2p wherever the result is not 0). Where −|z| was clamped, dz does not
// matter and is dropped (it may be huge there).
template <class V>
inline exp_parts<V> exp_neg_abs(const V& z, const V& dz) noexcept {
  using T = scalar_t<V>;
  const V a = detail::neg_abs(z);
  exp_parts<V> e = detail::exp_reduce(detail::clamp_exp_argument(a));
  const V signed_dz = detail::select(a < V(exp_constants<T>::lowest), V(T(0)), detail::select(z >= V(T(0)), dz, -dz));
  e.lo = detail::neg_mul_add(e.hi, signed_dz, e.lo);
  return e;
}

template <class V>
inline logistic_parts<V> logistic(const V& z, const V& dz) noexcept {
  using T = scalar_t<V>;
  const V one = V(T(1));
  const exp_parts<V> e = detail::exp_neg_abs(z, dz);
  const V e_lo = e.lo;
  // 1 + e: below 2^−126 the scaled e only needs to be tiny, not exact.
  const V scale = detail::pow2(detail::select(e.n < V(T(-126)), V(T(-126)), e.n));
  const dw<V> d0 = detail::fast_two_sum(one, detail::product(e.hi, scale));
  const V d_lo = d0.lo + detail::product(e_lo, scale);
  const V r = detail::divide(one, d0.hi);
  const V positive_lo = detail::product(detail::mul_add(-r, d_lo, detail::residual(one, r, d0.hi)), r);
  const V q = detail::product(e.hi, r);
  const V negative_lo = detail::product(detail::residual(e.hi, q, d0.hi) + detail::mul_add(-q, d_lo, e_lo), r);
  return {{r, positive_lo}, {q, negative_lo}, e.n};
}

template <class V>
inline logistic_parts<V> logistic(const V& z) noexcept {
  using T = scalar_t<V>;
  return detail::logistic(z, V(T(0)));
}

// σ(z) rounded once.
template <class V>
inline V sigmoid(const logistic_parts<V>& s, const V& z) noexcept {
  using T = scalar_t<V>;
  return detail::select(z >= V(T(0)), detail::round(s.positive), detail::ldexp<2>(detail::round(s.negative), s.n));
}

// 2^k·σ(z)·σ(−z) rounded once.
template <class V>
inline V sigmoid_product(const logistic_parts<V>& s, scalar_t<V> k = 0) noexcept {
  return detail::ldexp<2>(detail::round(detail::mul_dw(s.positive, s.negative)), s.n + V(k));
}

// z = a·b as a value and its rounding error, the error zeroed where it is not meaningful (an
// overflowed product, a split that overflowed, NaN): there |error| < |z| fails.
template <class V>
inline dw<V> scaled_argument(const V& a, const V& b) noexcept {
  using T = scalar_t<V>;
  const dw<V> p = detail::two_product(a, b);
  return {p.hi, detail::select(detail::abs(p.lo) < detail::abs(p.hi), p.lo, V(T(0)))};
}

// (a_hi + a_lo)/(b_hi + b_lo) rounded once, for b ≠ 0 finite, with r ≈ 1/b_hi: the quotient's
// first approximation corrected once by its residual.
template <class V>
inline V divide_round(const dw<V>& a, const dw<V>& b, const V& r) noexcept {
  const V q = a.hi * r;
  return detail::mul_add(detail::residual(a.hi, q, b.hi) + detail::mul_add(-q, b.lo, a.lo), r, q);
}

// The same for a divisor b ≠ 0 that is a single value (b_lo = 0 above: two instructions fewer).
// The correction is rounded before it is added, not fused into the sum: where the quotient is
// exactly halfway between two values (hard-swish′ = (2x + 3)/6 at 3.5 million floats), the rounded
// correction lands exactly on the midpoint and the sum then rounds to even; fused, r's own error
// tipped it either way (checked against exact integer arithmetic on every float in (−3, 3)).
template <class V>
inline V divide_round(const dw<V>& a, const V& b, const V& r) noexcept {
  const V q = a.hi * r;
  return detail::product(detail::residual(a.hi, q, b) + a.lo, r) + q;
}

// The same for a numerator a that is a single value (a_lo = 0 in the first: the residual less
// q·b_lo in one fused step, where that one adds a product by zero).
template <class V>
inline V divide_round(const V& a, const dw<V>& b, const V& r) noexcept {
  const V q = a * r;
  return detail::mul_add(detail::neg_mul_add(q, b.lo, detail::residual(a, q, b.hi)), r, q);
}

}  // namespace detail
}  // namespace activ
