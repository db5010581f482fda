// activ/detail/simd.hpp — one vocabulary for `T` and `xsimd::batch<T, A>`.
//
// Every activation body is written once over a value type V that is either the scalar T or a
// batch<T, A>. xsimd 8.1 covers most operations for both (abs, arithmetic, comparisons), but not
// select, bit casts or a fused multiply-add with one policy; those live here so that a body never
// needs to know which of the two it is running on.
#pragma once

#include <xsimd/xsimd.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

// The SIMD path is used when xsimd finds an instruction set in the compile flags, unless the user
// asks for the scalar fallback with ACTIV_NO_SIMD (results agree within the documented bounds).
#if !defined(ACTIV_NO_SIMD) && !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define ACTIV_HAS_SIMD 1
#else
#define ACTIV_HAS_SIMD 0
#endif

// Whether mul_add fuses. One policy for scalars and batches: fuse exactly when the target has a
// hardware FMA, so the scalar path and the default SIMD arch run the same arithmetic.
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64)
#define ACTIV_FUSED_MUL_ADD 1
#else
#define ACTIV_FUSED_MUL_ADD 0
#endif

namespace activ {
namespace detail {

template <class T>
inline constexpr bool is_supported_scalar_v = std::is_same<T, float>::value || std::is_same<T, double>::value;

template <class V>
struct value_traits {  // V = T
  using scalar = V;
  static constexpr bool is_batch = false;
};
template <class T, class A>
struct value_traits<xsimd::batch<T, A>> {
  using scalar = T;
  static constexpr bool is_batch = true;
};
template <class V>
using scalar_t = typename value_traits<V>::scalar;

// The unsigned integer of the same width as T, for bit-level work on the exponent field.
template <class T>
struct bits_of;
template <>
struct bits_of<float> {
  using type = std::int32_t;
  static constexpr int mantissa_bits = 23;
  static constexpr int exponent_bias = 127;
};
template <>
struct bits_of<double> {
  using type = std::int64_t;
  static constexpr int mantissa_bits = 52;
  static constexpr int exponent_bias = 1023;
};

// The integer view of V: an integer scalar, or an integer batch of the same arch and width.
template <class V>
struct int_view {
  using type = typename bits_of<V>::type;
};
template <class T, class A>
struct int_view<xsimd::batch<T, A>> {
  using type = xsimd::batch<typename bits_of<T>::type, A>;
};
template <class V>
using int_t = typename int_view<V>::type;

// ---- select, bit casts -----------------------------------------------------------------------
template <class T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
inline T select(bool cond, T a, T b) noexcept {
  return cond ? a : b;
}
template <class T, class A>
inline xsimd::batch<T, A> select(const xsimd::batch_bool<T, A>& cond, const xsimd::batch<T, A>& a,
                                 const xsimd::batch<T, A>& b) noexcept {
  return xsimd::select(cond, a, b);
}

template <class V>
inline int_t<V> to_bits(const V& x) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::bitwise_cast<int_t<V>>(x);
  } else {
    int_t<V> i;
    std::memcpy(&i, &x, sizeof i);
    return i;
  }
}
template <class V>
inline V from_bits(const int_t<V>& i) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::bitwise_cast<V>(i);
  } else {
    V x;
    std::memcpy(&x, &i, sizeof x);
    return x;
  }
}

// ---- arithmetic with one policy -------------------------------------------------------------
template <class V>
inline V mul_add(const V& a, const V& b, const V& c) noexcept {  // a·b + c
  if constexpr (value_traits<V>::is_batch) {
#if XSIMD_WITH_AVX512F
    // xsimd 8.1 has no AVX-512 fma kernel (its generic one is an unfused a*b+c): fuse here.
    using T = scalar_t<V>;
    if constexpr (std::is_base_of<xsimd::avx512f, typename V::arch_type>::value) {
      if constexpr (std::is_same<T, float>::value) {
        return V(_mm512_fmadd_ps(a, b, c));
      } else {
        return V(_mm512_fmadd_pd(a, b, c));
      }
    } else {
      return xsimd::fma(a, b, c);
    }
#else
    return xsimd::fma(a, b, c);  // fused on fma3, fma4 and neon64, a*b+c on the other archs
#endif
  } else {
#if ACTIV_FUSED_MUL_ADD
    return std::fma(a, b, c);
#else
    return a * b + c;
#endif
  }
}

// Whether mul_add fuses for V: xsimd's fma is fused on the FMA archs and plain a*b+c on the others
// (sse2…sse4_2, avx), whatever the compile flags.
template <class A>
struct arch_fuses : std::false_type {};
#if ACTIV_HAS_SIMD
template <class A>
struct arch_fuses<xsimd::fma3<A>> : std::true_type {};
template <>
struct arch_fuses<xsimd::fma4> : std::true_type {};
template <>
struct arch_fuses<xsimd::avx512f> : std::true_type {};
template <>
struct arch_fuses<xsimd::avx512cd> : std::true_type {};
template <>
struct arch_fuses<xsimd::avx512dq> : std::true_type {};
template <>
struct arch_fuses<xsimd::avx512bw> : std::true_type {};
template <>
struct arch_fuses<xsimd::neon64> : std::true_type {};
#endif

template <class V>
struct fuses : std::bool_constant<ACTIV_FUSED_MUL_ADD != 0> {};
template <class T, class A>
struct fuses<xsimd::batch<T, A>> : arch_fuses<A> {};

// a·b = p + e exactly (barring overflow and underflow): the product and its rounding error.
// With a fused multiply-add e = fma(a, b, −p) (Kahan); otherwise Dekker's product with
// Veltkamp's split ("A floating-point technique for extending the available precision", 1971).
template <class V>
struct product {
  V value;
  V error;
};

template <class V>
inline product<V> two_product(const V& a, const V& b) noexcept {
  const V p = a * b;
  if constexpr (fuses<V>::value) {
    return {p, mul_add(a, b, -p)};
  } else {
    using T = scalar_t<V>;
    // 2^⌈p/2⌉ + 1 splits a p-bit significand into two halves whose products are exact.
    const V splitter = V(std::is_same<T, float>::value ? T(4097) : T(134217729));
    auto split = [&](const V& x, V& hi, V& lo) {
      const V c = splitter * x;
      hi = c - (c - x);
      lo = x - hi;
    };
    V ah, al, bh, bl;
    split(a, ah, al);
    split(b, bh, bl);
    return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
  }
}

// sum + term with Kahan's compensation: the true running sum is sum − compensation.
template <class V>
inline void kahan_add(V& sum, V& compensation, const V& term) noexcept {
  const V y = term - compensation;
  const V t = sum + y;
  compensation = (t - sum) - y;
  sum = t;
}

// The Kahan sum's value: sum − compensation, or sum itself once it is ±∞ or NaN (the compensation
// of an infinite sum is NaN and must not hide the infinity).
template <class V>
inline V kahan_total(const V& sum, const V& compensation) noexcept {
  using T = scalar_t<V>;
  return detail::select(sum - sum == V(T(0)), sum - compensation, sum);
}

template <class V>
inline V abs(const V& x) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::abs(x);
  } else {
    return std::fabs(x);
  }
}

template <class V>
inline auto is_nan(const V& x) noexcept {
  return x != x;
}

// x with the sign of y (magnitudes only: used where x ≥ 0).
template <class V>
inline V copysign(const V& x, const V& y) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::copysign(x, y);
  } else {
    return std::copysign(x, y);
  }
}

// A constant of V's scalar type, broadcast when V is a batch.
template <class V>
inline V constant(double c) noexcept {
  return V(static_cast<scalar_t<V>>(c));
}

}  // namespace detail
}  // namespace activ
