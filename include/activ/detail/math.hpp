// activ/detail/math.hpp — exp, expm1 and log1p, written once over V = T or xsimd::batch<T, A>.
//
// Why our own: xsimd 8.1's scalar exp is libm while its batch exp is a polynomial (the two paths
// would disagree), its float exp returns 0 where exp(x) is subnormal (x < −87.68) and +∞ on
// [88.376, 88.7228] where exp(x) is still finite, and its expm1 overflows on the same interval.
// These kernels cover the whole range, subnormal results included, with the same arithmetic on
// both paths.
//
// Method (Cody & Waite, "Software Manual for the Elementary Functions", 1980; Tang, "Table-driven
// implementation of the exponential function", 1989, without the table):
//   x = n·ln2 + r, |r| ≤ ln2/2 (+ rounding), n an integer found with the 1.5·2^p shifter trick,
//   r computed in two steps with a split ln2 (ln2_hi·n is exact for every n reached);
//   expm1(r) by its Taylor polynomial r + r²·(1/2! + r/3! + …), truncated where the next term is
//   below 2^-26 (float, degree 8) or 2^-56 (double, degree 13) relative to the result;
//   exp(x) = 2^n·(1 + expm1(r)) and expm1(x) = 2^n·expm1(r) + (2^n − 1).
// log1p: u = 1 + y, u = 2^k·m with m ∈ [√2/2, √2), f = m − 1 (exact), s = f/(2 + f),
//   log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with R the atanh series 2s²/3 + 2s⁴/5 + …
//   (the arrangement of fdlibm's e_log.c), and a first-order correction (y − (u − 1))/u for the
//   rounding of u.
// Error (measured by tests/test_math.cpp against long double, all paths): exp and log1p within
// 1 ULP, expm1 within 2 ULP; subnormal results within one unit of the subnormal spacing.
#pragma once

#include "simd.hpp"

namespace activ {
namespace detail {

template <class T>
struct exp_constants;

template <>
struct exp_constants<float> {
  static constexpr float log2e = 1.44269504088896340736f;
  // ln2 = ln2_hi + ln2_lo; ln2_hi has 9 significant bits, so n·ln2_hi is exact for |n| < 2^15.
  static constexpr float ln2_hi = 0.693359375f;
  static constexpr float ln2_lo = -2.12194440054690583e-4f;
  static constexpr float shifter = 12582912.0f;  // 1.5·2^23: x + shifter rounds x to an integer
  static constexpr float expm1_lo = -20.0f;      // e^−20 < 2^−25: expm1 rounds to −1 below
  static constexpr float expm1_hi = 88.8f;       // > ln(FLT_MAX) = 88.7228: overflows to +∞
  static constexpr float exp_lo = -104.0f;       // e^−104 < FLT_TRUE_MIN/2: exp rounds to 0 below
  static constexpr float exp_hi = 89.0f;         // > ln(FLT_MAX): overflows to +∞
};

template <>
struct exp_constants<double> {
  static constexpr double log2e = 1.44269504088896340736;
  // fdlibm's split: ln2_hi has 32 significant bits, n·ln2_hi is exact for |n| < 2^20.
  static constexpr double ln2_hi = 6.93147180369123816490e-01;
  static constexpr double ln2_lo = 1.90821492927058770002e-10;
  static constexpr double shifter = 6755399441055744.0;  // 1.5·2^52
  static constexpr double expm1_lo = -40.0;              // e^−40 < 2^−54
  static constexpr double expm1_hi = 709.8;              // > ln(DBL_MAX) = 709.7827
  static constexpr double exp_lo = -746.0;               // e^−746 < DBL_TRUE_MIN/2
  static constexpr double exp_hi = 710.0;
};

// expm1(r) for |r| ≤ ln2/2 + ε: Taylor coefficients 1/k!.
template <class V>
inline V expm1_poly(const V& r) noexcept {
  using T = scalar_t<V>;
  V q;
  if constexpr (std::is_same<T, float>::value) {
    q = detail::constant<V>(1.0 / 40320);  // 1/8!
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 5040));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 720));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 120));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 24));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 6));
    q = detail::mul_add(q, r, detail::constant<V>(0.5));
  } else {
    q = detail::constant<V>(1.0 / 6227020800.0);  // 1/13!
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 479001600.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 39916800.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 3628800.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 362880.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 40320.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 5040.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 720.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 120.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 24.0));
    q = detail::mul_add(q, r, detail::constant<V>(1.0 / 6.0));
    q = detail::mul_add(q, r, detail::constant<V>(0.5));
  }
  return detail::mul_add(r * r, q, r);
}

// x = n·ln2 + r. Returns r and n as an integer (for building 2^n from bits).
template <class V>
struct ln2_reduction {
  V r;
  int_t<V> n;
};

template <class V>
inline ln2_reduction<V> reduce_ln2(const V& x) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  const V shifter = detail::constant<V>(C::shifter);
  const V t = detail::mul_add(x, detail::constant<V>(C::log2e), shifter);
  const V n = t - shifter;  // exact: an integer
  V r = detail::mul_add(n, detail::constant<V>(-C::ln2_hi), x);
  r = detail::mul_add(n, detail::constant<V>(-C::ln2_lo), r);
  return {r, detail::to_bits(t) - detail::to_bits(shifter)};
}

// 2^n for an integer n in the normal exponent range.
template <class V>
inline V pow2(const int_t<V>& n) noexcept {
  using T = scalar_t<V>;
  using I = int_t<V>;
  return detail::from_bits<V>((n + I(bits_of<T>::exponent_bias)) << bits_of<T>::mantissa_bits);
}

// e^x for every x: NaN → NaN, −∞ → 0, +∞ → +∞, subnormal results rounded once.
template <class V>
inline V exp(const V& x) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  V xc = detail::select(x < detail::constant<V>(C::exp_lo), detail::constant<V>(C::exp_lo), x);
  xc = detail::select(x > detail::constant<V>(C::exp_hi), detail::constant<V>(C::exp_hi), xc);
  const auto red = detail::reduce_ln2(xc);
  const V p = V(T(1)) + detail::expm1_poly(red.r);
  // 2^n as 2^n1·2^n2 with n1 = ⌊n/2⌋: both factors are normal for n from the subnormal range up
  // to the overflow threshold; the product is normal until the last multiplication, which rounds
  // once into the subnormal range or overflows to +∞.
  const int_t<V> n1 = red.n >> 1;
  return p * detail::pow2<V>(n1) * detail::pow2<V>(red.n - n1);
}

// e^x − 1 for every x: NaN → NaN, −∞ → −1, +∞ → +∞.
template <class V>
inline V expm1(const V& x) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  V xc = detail::select(x < detail::constant<V>(C::expm1_lo), detail::constant<V>(C::expm1_lo), x);
  xc = detail::select(x > detail::constant<V>(C::expm1_hi), detail::constant<V>(C::expm1_hi), xc);
  const auto red = detail::reduce_ln2(xc);
  const V p = detail::expm1_poly(red.r);
  // 2^n·p + (2^n − 1) = 2·(s·p + (s − 1/2)) with s = 2^(n−1): s stays finite for n = 2^p's top
  // exponent + 1 (x just below the overflow threshold); s − 1/2 rounds exactly as 2^n − 1 does.
  const V s = detail::pow2<V>(red.n - int_t<V>(1));
  const V half = detail::constant<V>(0.5);
  const V y = detail::mul_add(s, p, s - half);
  return y + y;
}

// log(1 + y) for every y: NaN → NaN, y < −1 → NaN, −1 → −∞, +∞ → +∞.
template <class V>
inline V log1p(const V& y) noexcept {
  using T = scalar_t<V>;
  using I = int_t<V>;
  using B = bits_of<T>;
  using C = exp_constants<T>;
  const V one = V(T(1));
  const V u = one + y;
  // Shift u's bits so that the exponent field changes at √2/2 instead of 1: then
  // u = 2^k·m with m ∈ [√2/2, √2).
  const T sqrt_half = T(0.70710678118654752440);
  const I one_bits = detail::to_bits(one);
  const I sqrt_half_bits = detail::to_bits(V(sqrt_half));
  const I mantissa_mask = I((typename B::type(1) << B::mantissa_bits) - 1);
  const I iu = detail::to_bits(u) + (one_bits - sqrt_half_bits);
  const I k = (iu >> B::mantissa_bits) - I(B::exponent_bias);
  const V m = detail::from_bits<V>((iu & mantissa_mask) + sqrt_half_bits);
  // k as a floating value, by the shifter trick (|k| < 2^22).
  const V shifter = detail::constant<V>(C::shifter);
  const V kf = detail::from_bits<V>(detail::to_bits(shifter) + k) - shifter;
  // The rounding of u = 1 + y, to first order: log1p(y) = log(u) + (y − (u − 1))/u.
  const V c = (y - (u - one)) / u;
  const V f = m - one;  // exact (Sterbenz)
  const V s = f / (V(T(2)) + f);
  const V z = s * s;
  V R;
  if constexpr (std::is_same<T, float>::value) {
    // atanh series 2/(2j+1)·s^(2j), j = 1..4; the first omitted term is < 2^-28 of the result.
    R = detail::constant<V>(2.0 / 9);
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 7));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 5));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 3));
  } else {
    // j = 1..10; the first omitted term is < 2^-60 of the result.
    R = detail::constant<V>(2.0 / 21);
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 19));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 17));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 15));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 13));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 11));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 9));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 7));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 5));
    R = detail::mul_add(R, z, detail::constant<V>(2.0 / 3));
  }
  R = R * z;
  const V hfsq = detail::constant<V>(0.5) * f * f;
  const V lo = detail::mul_add(kf, detail::constant<V>(C::ln2_lo), c);
  const V r = f - (hfsq - detail::mul_add(s, hfsq + R, lo));
  V result = detail::mul_add(kf, detail::constant<V>(C::ln2_hi), r);
  const T inf = std::numeric_limits<T>::infinity();
  result = detail::select(u == V(inf), V(inf), result);
  result = detail::select(u == V(T(0)), V(-inf), result);
  result = detail::select(u < V(T(0)), V(std::numeric_limits<T>::quiet_NaN()), result);
  return result;
}

}  // namespace detail
}  // namespace activ

namespace activ {
namespace detail {

// σ(z) and σ(−z) together, from e = e^−|z| ∈ [0, 1] (never overflows): with r = 1/(1 + e),
// σ(|z|) = r and σ(−|z|) = e·r. Both are accurate to a few ULP for every z, including the
// saturated side where 1 − σ would cancel. NaN → NaN in both.
template <class V>
struct logistic_pair {
  V positive;  // σ(z)
  V negative;  // σ(−z)
};

template <class V>
inline logistic_pair<V> logistic_from(const V& z, const V& e) noexcept {
  using T = scalar_t<V>;
  const V r = V(T(1)) / (V(T(1)) + e);
  const V er = e * r;
  const auto nonnegative = z >= V(T(0));
  return {detail::select(nonnegative, r, er), detail::select(nonnegative, er, r)};
}

template <class V>
inline logistic_pair<V> logistic(const V& z) noexcept {
  return detail::logistic_from(z, detail::exp(-detail::abs(z)));
}

// e^−|z+dz| for |dz| ≪ |z|, such as the rounding error of z = β·x: e^−|z|·(1 − sign(z)·dz) to
// first order. σ(±(z + dz)) is formed from it below. Without it the rounding of z alone would cost up to
// |z|/2 ULP of σ(−|z|) (35 ULP at |z| = 70).
template <class V>
inline V exp_neg_abs(const V& z, const V& dz) noexcept {
  using T = scalar_t<V>;
  const V e = detail::exp(-detail::abs(z));
  return detail::mul_add(-e, detail::select(z >= V(T(0)), dz, -dz), e);
}

template <class V>
inline logistic_pair<V> logistic(const V& z, const V& dz) noexcept {
  return detail::logistic_from(z, detail::exp_neg_abs(z, dz));
}

// z = a·b as a value and its rounding error, the error zeroed where it is not meaningful (an
// overflowed product, a split that overflowed, NaN): there |error| < |z| fails.
template <class V>
inline product<V> scaled_argument(const V& a, const V& b) noexcept {
  using T = scalar_t<V>;
  const product<V> p = detail::two_product(a, b);
  return {p.value, detail::select(detail::abs(p.error) < detail::abs(p.value), p.error, V(T(0)))};
}

}  // namespace detail
}  // namespace activ
