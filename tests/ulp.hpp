// tests/ulp.hpp — the one definition of an error in ULP, shared by the unit tests (harness.hpp) and
// the accuracy sweep (tools/sweep). T is the result type (float, double); R is the type the
// reference value is carried in (double, long double, __float128; see real.hpp).
//
//   ulp(r) in T   = 2^(ilogb(r) − (digits − 1))   for |r| ≥ numeric_limits<T>::min(),
//                 = denorm_min                    below (the subnormal spacing).
//                 A power of two gets the ULP of the binade above it (ilogb's convention).
//   error         = |got − r| / ulp(r), with the unit raised to `min_unit` where a caller gives one
//                   (the crossing floor below).
//   NaN expected and NaN got → 0; one NaN but not the other → ∞. If r rounds to ±∞ in T (r = ±∞,
//   or |r| beyond the largest finite T by half an ULP or more), only got == that infinity is 0,
//   anything else ∞; a finite r and got = ±∞ is ∞.
//   Crossing floor: where f′ crosses zero through terms of opposite signs (swish′ for βx < 0,
//   hard-swish′ on (−3, 0)), no evaluation that rounds its terms to T can do better than about
//   eps_T · Σ|terms|, so the unit there is max(ulp(r), crossing_unit<T>(Σ|terms|)).
#pragma once

#include "real.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace ulp {
namespace detail {

// ilogb(r) and 2^e for a normal r and e of R's normal range, from the bits where R is double or
// x87 long double (the sweep measures billions of results: no library calls on that path).
constexpr bool x87_long_double =
    std::numeric_limits<long double>::digits == 64 && std::numeric_limits<long double>::max_exponent == 16384;

template <class R>
int exponent_of(R r) {
  if constexpr (std::is_same<R, double>::value) {
    std::uint64_t bits;
    std::memcpy(&bits, &r, sizeof bits);
    const int biased = static_cast<int>((bits >> 52) & 0x7ff);
    return biased != 0 ? biased - 1023 : real_math::ilogb(r);
  } else if constexpr (std::is_same<R, long double>::value && x87_long_double) {
    unsigned char bytes[sizeof(long double)];  // 64-bit significand (explicit leading 1), 15-bit exponent
    std::memcpy(bytes, &r, sizeof bytes);
    const int biased = (static_cast<int>(bytes[9] & 0x7f) << 8) | bytes[8];
    return biased != 0 ? biased - 16383 : real_math::ilogb(r);
  } else {
    return real_math::ilogb(r);
  }
}

template <class R>
R power_of_two(int e) {
  if constexpr (std::is_same<R, double>::value) {
    if (e < -1022 || e > 1023) return std::ldexp(1.0, e);
    const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  } else if constexpr (std::is_same<R, long double>::value && x87_long_double) {
    if (e < -16382 || e > 16383) return std::ldexp(1.0L, e);
    unsigned char bytes[sizeof(long double)] = {};
    bytes[7] = 0x80;
    bytes[8] = static_cast<unsigned char>((e + 16383) & 0xff);
    bytes[9] = static_cast<unsigned char>((e + 16383) >> 8);
    long double v;
    std::memcpy(&v, bytes, sizeof v);
    return v;
  } else {
    return real_math::ldexp(static_cast<R>(1), e);
  }
}

// log2 of ulp(r) in T.
template <class T, class R>
int unit_exponent(R r) {
  using L = std::numeric_limits<T>;
  constexpr int subnormal_spacing = L::min_exponent - L::digits;  // log2(denorm_min)
  if (!(real_math::fabs(r) >= static_cast<R>(L::min()))) return subnormal_spacing;
  return exponent_of(r) - (L::digits - 1);
}

}  // namespace detail

template <class T, class R>
R unit(R r) {
  static_assert(std::is_floating_point<T>::value, "ulp::unit<T>: T is the result type, float or double");
  return detail::power_of_two<R>(detail::unit_exponent<T>(r));
}

template <class T, class R>
R crossing_unit(R sum_of_term_magnitudes) {
  return static_cast<R>(std::numeric_limits<T>::epsilon()) * sum_of_term_magnitudes;
}

template <class T, class R>
double error(T got, R ref, R min_unit = R(0)) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  if (real_math::isnan(ref)) return std::isnan(got) ? 0 : infinity;
  if (std::isnan(got)) return infinity;
  const T rounded = static_cast<T>(ref);
  if (std::isinf(rounded)) return got == rounded ? 0 : infinity;
  if (std::isinf(got)) return infinity;
  const int e = detail::unit_exponent<T>(ref);
  const R difference = real_math::fabs(static_cast<R>(got) - ref);
  const R u = detail::power_of_two<R>(e);
  if (u < min_unit) return static_cast<double>(difference / min_unit);
  return static_cast<double>(difference * detail::power_of_two<R>(-e));  // exact: a power of two
}

}  // namespace ulp

namespace ulp {

// out[i] = error<float>(got[i], ref[i], min_unit ? min_unit[i] : 0) for n results, as above, for
// the float sweep (billions of results against double references): the common case — a finite
// result and a reference below FLT_MAX in magnitude, no floor above the ULP — in a loop the
// compiler vectorizes (r's biased exponent E gives the ULP's, max(E, 897) − 23, where 897 is
// FLT_MIN's and 874 = 897 − 23 denorm_min's), every other case through error() itself.
inline void errors(const float* got, const double* ref, const double* min_unit, double* out, std::size_t n) {
  constexpr double largest = std::numeric_limits<float>::max();
  constexpr std::size_t block = 512;
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t m = n - start < block ? n - start : block;
    const float* __restrict g = got + start;
    const double* __restrict r = ref + start;
    double* __restrict e = out + start;
    unsigned char other[block];  // not the common case
    for (std::size_t i = 0; i < m; ++i) {
      std::uint64_t bits;
      std::memcpy(&bits, &r[i], sizeof bits);
      std::uint64_t exponent = (bits >> 52) & 0x7ff;
      exponent = exponent < 897 ? 897 : exponent;
      const std::uint64_t inverse_bits = (2046 - (exponent - 23)) << 52;  // 2^−(log2 ulp)
      double inverse;
      std::memcpy(&inverse, &inverse_bits, sizeof inverse);
      const double value = g[i];
      e[i] = std::fabs(value - r[i]) * inverse;
      other[i] = ((std::fabs(r[i]) <= largest) & (std::fabs(value) <= largest)) ? 0 : 1;
    }
    for (std::size_t i = 0; i < m; i += 8) {  // eight flags at a time: the other cases are rare
      std::uint64_t word = 0;
      std::memcpy(&word, other + i, m - i < 8 ? m - i : 8);
      if (word == 0 && !min_unit) continue;
      for (std::size_t k = i; k < i + 8 && k < m; ++k) {
        const double floor = min_unit ? min_unit[start + k] : 0.0;
        if (other[k] || floor > 0) e[k] = error<float>(g[k], r[k], floor);
      }
    }
  }
}

}  // namespace ulp
