// tests/real.hpp — the real types a reference is evaluated in, and one set of names for their
// functions, so that reference.hpp and ulp.hpp are written once for all of them:
//   double       the float sweep (tools/sweep): 29 bits more than float;
//   long double  the unit tests and the double sweep: 11 bits more than double (x87, 64 digits);
//   quad         __float128 through libquadmath (113 digits), where a long double or double
//                measurement is too close to a bound to be trusted, and near the zero crossings of
//                swish′ and hard-swish′. Only with ACTIV_TESTS_FLOAT128 defined (the sweep's build
//                defines it and links quadmath); the unit tests do not need it.
// real_math::exp(x) etc. resolve to the std:: overload for double and long double and to the
// quadmath function for quad.
#pragma once

#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

#if defined(ACTIV_TESTS_FLOAT128)
#include <quadmath.h>
#endif

namespace real_math {

using std::copysign;
using std::exp;
using std::expm1;
using std::fabs;
using std::fma;
using std::ilogb;
using std::isinf;
using std::isnan;
using std::ldexp;
using std::log1p;
using std::tanh;

// An x beyond which exp(−x) rounds to 0 in R: e^−x < 2^(min_exponent − digits − 1), half the
// smallest subnormal (746.8 for double, 11401 for x87 long double, 11435 for __float128).
template <class R>
constexpr R exp_zero_beyond() {
  using L = std::numeric_limits<R>;
  return static_cast<R>((L::digits - L::min_exponent + 2) * 0.69314718055994531 + 1);
}

// A decimal constant in R, read at R's precision (not through long double).
template <class R>
R parse(const char* text) {
  return static_cast<R>(std::strtold(text, nullptr));
}

#if defined(ACTIV_TESTS_FLOAT128)
__extension__ typedef __float128 quad;

inline quad copysign(quad x, quad y) { return copysignq(x, y); }
inline quad exp(quad x) { return expq(x); }
inline quad expm1(quad x) { return expm1q(x); }
inline quad fabs(quad x) { return fabsq(x); }
inline quad fma(quad x, quad y, quad z) { return fmaq(x, y, z); }
inline int ilogb(quad x) { return ilogbq(x); }
inline bool isinf(quad x) { return isinfq(x) != 0; }
inline bool isnan(quad x) { return isnanq(x) != 0; }
inline quad ldexp(quad x, int e) { return ldexpq(x, e); }
inline quad log1p(quad x) { return log1pq(x); }
inline quad tanh(quad x) { return tanhq(x); }

template <>
constexpr quad exp_zero_beyond<quad>() {
  return (113 + 16381 + 2) * 0.69314718055994531 + 1;
}

template <>
inline quad parse<quad>(const char* text) {
  return strtoflt128(text, nullptr);
}
#endif

}  // namespace real_math
