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

// 2^e for e within T's normal range, as a compile-time constant where used in one (Clang does not
// fold std::ldexp of constants: it calls ldexpf).
template <class T>
constexpr T exact_pow2(int e) noexcept {
  T r = T(1);
  for (; e > 0; --e) r *= T(2);
  for (; e < 0; ++e) r /= T(2);
  return r;
}
template <class T, int E>
inline constexpr T pow2_v = exact_pow2<T>(E);

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

// Whether the condition holds in every lane: a kernel's common case, taken without the work only
// its rare lanes need.
inline bool all_of(bool cond) noexcept { return cond; }
template <class T, class A>
inline bool all_of(const xsimd::batch_bool<T, A>& cond) noexcept {
  return xsimd::all(cond);
}

// f(args...) called as a function of its own, never inlined (ACTIV_FLATTEN included): the rare
// path of a kernel's branch. Inlined into a main loop its constants competed for the 16 vector
// registers of AVX2, and GCC kept the common path's constants on the stack, reloading them in every
// iteration (the fast σ over 4096 floats: 1.78 -> 1.59 us out of line, the bare kernel 1.60). The
// operands go by value: a lambda capturing them by reference made the loop store them to the stack
// in every iteration, for a call it rarely makes.
template <class F, class... Args>
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, cold))
#endif
auto out_of_line(F f, Args... args) {
  return f(args...);
}

// Whether every lane of d has its sign bit set (d < 0, −0 and −NaN included; a NaN with the sign
// clear is not): on SSE and AVX one movemask and an integer compare, where d < 0 and all_of take a
// compare and a two-µop vtestps in the hot loops that branch on a range check.
template <class V>
inline bool all_negative(const V& d) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    [[maybe_unused]] constexpr bool single = std::is_same<scalar_t<V>, float>::value;
#if XSIMD_WITH_SSE2
    if constexpr (sizeof(V) == 16) {
      if constexpr (single) return _mm_movemask_ps(d) == 0xf;
      else return _mm_movemask_pd(d) == 0x3;
    }
#endif
#if XSIMD_WITH_AVX
    if constexpr (sizeof(V) == 32) {
      if constexpr (single) return _mm256_movemask_ps(d) == 0xff;
      else return _mm256_movemask_pd(d) == 0xf;
    }
#endif
    return xsimd::all(xsimd::bitwise_cast<int_t<V>>(d) < int_t<V>(0));
  } else {
    return std::signbit(d);
  }
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

// Addition, subtraction and left shift on the integer view, wrapping as the SIMD integer
// instructions do. On the scalar path a signed overflow would be undefined behaviour; it happens
// only for bit patterns of NaN inputs (a NaN with a large payload, or pow2 of a NaN exponent), or
// of the lanes a kernel computes and then discards, but the compiler may not be given the licence
// to assume it cannot happen.
template <class I>
inline I wrapping_add(const I& a, const I& b) noexcept {
  if constexpr (std::is_integral<I>::value) {
    using U = std::make_unsigned_t<I>;
    return static_cast<I>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}
template <class I>
inline I wrapping_sub(const I& a, const I& b) noexcept {
  if constexpr (std::is_integral<I>::value) {
    using U = std::make_unsigned_t<I>;
    return static_cast<I>(static_cast<U>(a) - static_cast<U>(b));
  } else {
    return a - b;
  }
}
template <class I>
inline I wrapping_shift_left(const I& a, int bits) noexcept {
  if constexpr (std::is_integral<I>::value) {
    using U = std::make_unsigned_t<I>;
    return static_cast<I>(static_cast<U>(a) << bits);
  } else {
    return a << bits;
  }
}

// ---- arithmetic with one policy -------------------------------------------------------------
// mul_add fuses wherever the compiler may emit a fused multiply-add at all: then every x86 batch,
// whatever its width, uses the FMA instruction of that width (xsimd 8.1 fuses only on its fma3
// archs, and its AVX-512 fma is an unfused a*b+c), and so does the scalar path. Where it may not
// (-march=x86-64, 32-bit ARM), nothing fuses, not even by the compiler's own contraction, so the
// error-free transformations below can rely on each operation being rounded as written. Kernels
// write every product that feeds a sum as a mul_add, so that contraction has nothing left to
// decide and the scalar and SIMD paths compute the same bits.
#if defined(__FMA__) && (defined(__x86_64__) || defined(_M_X64) || defined(__i386__))
#define ACTIV_X86_FMA 1
#else
#define ACTIV_X86_FMA 0
#endif

template <class V>
inline V mul_add(const V& a, const V& b, const V& c) noexcept {  // a·b + c
  if constexpr (value_traits<V>::is_batch) {
#if ACTIV_X86_FMA
    using T = scalar_t<V>;
    constexpr bool single = std::is_same<T, float>::value;
    if constexpr (sizeof(V) == 16) {
      if constexpr (single) return V(_mm_fmadd_ps(a, b, c));
      else return V(_mm_fmadd_pd(a, b, c));
    } else if constexpr (sizeof(V) == 32) {
      if constexpr (single) return V(_mm256_fmadd_ps(a, b, c));
      else return V(_mm256_fmadd_pd(a, b, c));
#if XSIMD_WITH_AVX512F
    } else if constexpr (sizeof(V) == 64) {
      if constexpr (single) return V(_mm512_fmadd_ps(a, b, c));
      else return V(_mm512_fmadd_pd(a, b, c));
#endif
    } else {
      return xsimd::fma(a, b, c);
    }
#else
    return xsimd::fma(a, b, c);  // fused on fma4 and neon64, a*b+c elsewhere
#endif
  } else {
#if ACTIV_FUSED_MUL_ADD
    return std::fma(a, b, c);
#else
    return a * b + c;
#endif
  }
}

// c − a·b with one rounding where mul_add fuses (the same bits as mul_add(−a, b, c)), in one
// instruction: a negation written out would cost one more (xsimd negates as 0 − a).
template <class V>
inline V neg_mul_add(const V& a, const V& b, const V& c) noexcept {  // c − a·b
  if constexpr (value_traits<V>::is_batch) {
#if ACTIV_X86_FMA
    using T = scalar_t<V>;
    constexpr bool single = std::is_same<T, float>::value;
    if constexpr (sizeof(V) == 16) {
      if constexpr (single) return V(_mm_fnmadd_ps(a, b, c));
      else return V(_mm_fnmadd_pd(a, b, c));
    } else if constexpr (sizeof(V) == 32) {
      if constexpr (single) return V(_mm256_fnmadd_ps(a, b, c));
      else return V(_mm256_fnmadd_pd(a, b, c));
#if XSIMD_WITH_AVX512F
    } else if constexpr (sizeof(V) == 64) {
      if constexpr (single) return V(_mm512_fnmadd_ps(a, b, c));
      else return V(_mm512_fnmadd_pd(a, b, c));
#endif
    } else {
      return xsimd::fnma(a, b, c);
    }
#else
    return xsimd::fnma(a, b, c);  // fused where xsimd's fma is (fma4, neon64), c − a*b elsewhere
#endif
  } else {
#if ACTIV_FUSED_MUL_ADD
    return std::fma(-a, b, c);
#else
    return c - a * b;
#endif
  }
}

// Whether mul_add fuses for V.
template <class A>
struct arch_fuses : std::bool_constant<ACTIV_X86_FMA != 0> {};
#if ACTIV_HAS_SIMD && !ACTIV_X86_FMA
template <>
struct arch_fuses<xsimd::fma4> : std::true_type {};
template <>
struct arch_fuses<xsimd::neon64> : std::true_type {};
// xsimd's neon (32-bit ARM, and listed on AArch64 too) fuses float batches with vfmaq_f32 wherever
// the target has FMA (always on AArch64).
#if defined(__ARM_FEATURE_FMA)
template <>
struct arch_fuses<xsimd::neon> : std::true_type {};
#endif
#endif

template <class V>
struct fuses : std::bool_constant<ACTIV_FUSED_MUL_ADD != 0> {};
template <class T, class A>
struct fuses<xsimd::batch<T, A>> : arch_fuses<A> {};

template <class V>
inline V abs(const V& x) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::abs(x);
  } else {
    return std::fabs(x);
  }
}

// −|x| in one instruction (the sign bit set), −0 for ±0.
template <class V>
inline V neg_abs(const V& x) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::bitwise_or(x, V(scalar_t<V>(-0.0)));
  } else {
    return -std::fabs(x);
  }
}

// x, or lo where x < lo; NaN passes through. One instruction on every SIMD arch: the x86 max
// returns its second operand when either is NaN, and NEON's max returns NaN.
template <class V>
inline V at_least(const V& x, const V& lo) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::max(lo, x);
  } else {
    return x < lo ? lo : x;
  }
}

// x, or lo where x < lo or x is NaN: one instruction on x86, whose max returns its second operand
// when either is NaN; a compare and a select elsewhere (NEON's max returns the NaN).
template <class V>
inline V at_least_number(const V& x, const V& lo) noexcept {
  if constexpr (value_traits<V>::is_batch) {
#if XSIMD_WITH_SSE2
    return xsimd::max(x, lo);
#else
    return detail::select(x >= lo, x, lo);
#endif
  } else {
    return x >= lo ? x : lo;
  }
}

// x, or hi where x > hi; NaN passes through (as at_least).
template <class V>
inline V at_most(const V& x, const V& hi) noexcept {
  if constexpr (value_traits<V>::is_batch) {
    return xsimd::min(hi, x);
  } else {
    return x > hi ? hi : x;
  }
}

// 1 where x > 0, `below` where x ≤ 0, NaN where x is NaN: the derivative of the ReLU family
// (below = 0 or a slope, one value or one per lane). With AVX-512 one vfixupimm, which maps the
// class of each lane of x (NaN, ±0, ±∞, negative, positive) through a table to NaN(x), `below` or
// +1, where the compare-and-select form takes two compares and two blends (Eigen's dy·(x > 0)
// takes a compare and a masked move: it has no NaN to pass). ReLU's backward over 4096 floats, in
// one binary next to Eigen's: 183 ns with the four, 130–138 with the one, Eigen 123. A signaling
// NaN comes out quiet there; the other paths return x itself, and dy·f′ quiets both alike.
template <class V, class S>
inline V positive_step(const V& x, const S& below) noexcept {
  using T = scalar_t<V>;
#if XSIMD_WITH_AVX512F
  if constexpr (value_traits<V>::is_batch && sizeof(V) == 64) {
    // One nibble per class, class 0 first: QNaN, SNaN → 2 (x quieted); ±0 → 0 (the first operand:
    // below); +1 → A (+1); −∞ → 0; +∞ → A; negative → 0; positive → A.
    constexpr unsigned table = 0xA0A0A022u;
    if constexpr (std::is_same<T, float>::value) {
      return V(_mm512_fixupimm_ps(V(below), x, _mm512_set1_epi32(static_cast<int>(table)), 0));
    } else {
      return V(_mm512_fixupimm_pd(V(below), x, _mm512_set1_epi64(static_cast<long long>(table)), 0));
    }
  }
#endif
  return detail::select(x > V(T(0)), V(T(1)), detail::select(x <= V(T(0)), V(below), x));
}

// x as the compiler must produce it: a product passed through here is rounded on its own and
// cannot be fused by floating-point contraction into a later sum. GCC contracts a·b + c into an
// FMA by default wherever the target has one, in some inlined copies of a kernel and not in
// others, and the paths would then round differently; the kernels write the sums they want fused
// as mul_add and pass the products they want rounded through here. Costs no instruction.
template <class V>
inline V opaque(V x) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && (ACTIV_X86_FMA || defined(__aarch64__))
#if ACTIV_X86_FMA
#define ACTIV_OPAQUE_CONSTRAINT "+v"
#else
#define ACTIV_OPAQUE_CONSTRAINT "+w"
#endif
  if constexpr (value_traits<V>::is_batch) {
    typename V::register_type r = x;
    __asm__("" : ACTIV_OPAQUE_CONSTRAINT(r));
    return V(r);
  } else {
    __asm__("" : ACTIV_OPAQUE_CONSTRAINT(x));
    return x;
  }
#undef ACTIV_OPAQUE_CONSTRAINT
#else
  return x;
#endif
}

// a·b rounded on its own (see opaque).
template <class V>
inline V product(const V& a, const V& b) noexcept {
  return detail::opaque(V(a * b));
}

// a/b correctly rounded. xsimd 8.1 divides float batches on neon and neon64 by a reciprocal estimate
// refined by two Newton steps, which is off by an ULP now and then (and then the batch and scalar
// paths differ); AArch64 has a correctly rounded vector divide, used here. The accurate kernels
// and the fast ones divide through this.
template <class V>
inline V divide(const V& a, const V& b) noexcept {
#if ACTIV_HAS_SIMD && defined(__aarch64__)
  if constexpr (value_traits<V>::is_batch) {
    if constexpr (std::is_same<scalar_t<V>, float>::value && sizeof(typename V::register_type) == 16) {
      return V(vdivq_f32(a, b));
    }
  }
#endif
  return a / b;
}

// ---- error-free transformations and double-word values -----------------------------------
// A double-word value hi + lo carries about twice T's precision (Dekker, "A floating-point technique
// for extending the available precision", 1971; Joldes, Muller & Popescu, "Tight and rigorous error
// bounds for basic building blocks of double-word arithmetic", 2017). The kernels of math.hpp carry
// their intermediate results this way so that the one rounding at the end dominates the error.
template <class V>
struct dw {
  V hi;
  V lo;
};

// a + b = s + e exactly, for |a| ≥ |b| or a = 0 (Dekker's Fast2Sum).
template <class V>
inline dw<V> fast_two_sum(const V& a, const V& b) noexcept {
  const V s = a + b;
  return {s, b - (s - a)};
}

// a + b = s + e exactly, for any a, b (Knuth's TwoSum).
template <class V>
inline dw<V> two_sum(const V& a, const V& b) noexcept {
  const V s = a + b;
  const V bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// a·b = p + e exactly (barring overflow and underflow): the product and its rounding error.
// With a fused multiply-add e = fma(a, b, −p) (Kahan); otherwise Dekker's product with
// Veltkamp's split.
template <class V>
inline dw<V> two_product(const V& a, const V& b) noexcept {
  if constexpr (fuses<V>::value) {
    const V p = detail::product(a, b);
    return {p, mul_add(a, b, -p)};
  } else {
    using T = scalar_t<V>;
    // 2^⌈p/2⌉ + 1 splits a p-bit significand into two halves whose products are exact. Operands
    // beyond 2^(max_exponent − k) are split at 2^−k of their size (splitter·x and the split's
    // rounding up must not overflow), and the results scaled back exactly.
    constexpr int k = std::numeric_limits<T>::digits / 2 + 2;
    const V splitter = V(std::is_same<T, float>::value ? T(4097) : T(134217729));
    const V big = V(detail::pow2_v<T, std::numeric_limits<T>::max_exponent - k>);
    const V down = V(detail::pow2_v<T, -k>), up = V(detail::pow2_v<T, k>), one = V(T(1));
    const auto huge_a = detail::abs(a) > big;
    const auto huge_b = detail::abs(b) > big;
    const V as = detail::select(huge_a, a * down, a);
    const V bs = detail::select(huge_b, b * down, b);
    const V scale = detail::select(huge_a, up, one) * detail::select(huge_b, up, one);
    auto split = [&](const V& x, V& hi, V& lo) {
      const V c = splitter * x;
      hi = c - (c - x);
      lo = x - hi;
    };
    V ah, al, bh, bl;
    split(as, ah, al);
    split(bs, bh, bl);
    const V p = as * bs;
    return {p * scale, (((ah * bh - p) + ah * bl + al * bh) + al * bl) * scale};
  }
}

// a − b·c with one rounding: the residual of a quotient or product that is close to a, where the
// exact value is (nearly) representable. Fused where the arch fuses; otherwise from the exact
// product, whose high part cancels a exactly (Sterbenz).
template <class V>
inline V residual(const V& a, const V& b, const V& c) noexcept {
  if constexpr (fuses<V>::value) {
    return neg_mul_add(b, c, a);
  } else {
    const dw<V> p = two_product(b, c);
    return (a - p.hi) - p.lo;
  }
}

// a·(hi + lo) rounded once (to within a tiny fraction of an ULP): the product of a value and a
// double-word value such as a kernel's unrounded result (|hi| ≳ 2^−p, as σ, expm1 or a slope).
// An infinite a gives a·b_hi (a·b_lo would be ∞ of either sign). Where a is near the subnormal
// range the product is formed in units of 2^−k, so that its low part stays exact, and scaled once.
template <class V>
inline V mul_round(const V& a, const dw<V>& b) noexcept {
  using T = scalar_t<V>;
  constexpr int k = std::numeric_limits<T>::digits + 2;
  const auto small = detail::abs(a) < V(detail::pow2_v<T, std::numeric_limits<T>::min_exponent + k>);
  const V as = detail::select(small, a * V(detail::pow2_v<T, k>), a);
  const V down = detail::select(small, V(detail::pow2_v<T, -k>), V(T(1)));
  const V tail = detail::select(as - as == V(T(0)), as * b.lo, V(T(0)));  // 0 unless a is finite
  if constexpr (fuses<V>::value) {
    return mul_add(as, b.hi, tail) * down;
  } else {
    const dw<V> p = two_product(as, b.hi);
    return (p.hi + detail::select(p.hi - p.hi == V(T(0)), p.lo + tail, V(T(0)))) * down;  // 0 unless finite
  }
}

// (a_hi + a_lo)·(b_hi + b_lo) as a double-word value (relative error ~ 2^−2p).
template <class V>
inline dw<V> mul_dw(const dw<V>& a, const dw<V>& b) noexcept {
  const dw<V> p = two_product(a.hi, b.hi);
  return {p.hi, p.lo + mul_add(a.hi, b.lo, a.lo * b.hi)};
}

// The double-word value rounded to V.
template <class V>
inline V round(const dw<V>& a) noexcept {
  return a.hi + a.lo;
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

// x86 archs before SSE4.1 have no rounding instruction: there xsimd 8.1 floors a double batch by
// converting every lane to int64 one at a time (C++ conversions), which is undefined behaviour for a
// NaN, infinite or too large lane (UBSan, tools/test.sh's asan part). Those lanes are already their
// own floor, so they are kept out of the conversion.
template <class A>
inline constexpr bool floors_doubles_by_conversion =
    std::is_base_of<xsimd::sse2, A>::value && !std::is_base_of<xsimd::sse4_1, A>::value;

template <class T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
inline T floor(const T& x) noexcept {
  return std::floor(x);
}
template <class T, class A>
inline xsimd::batch<T, A> floor(const xsimd::batch<T, A>& x) noexcept {
  using V = xsimd::batch<T, A>;
  if constexpr (std::is_same<T, double>::value && floors_doubles_by_conversion<A>) {
    const auto convertible = xsimd::abs(x) < V(0x1p52);  // beyond 2^52 every double is an integer; NaN: false
    return xsimd::select(convertible, xsimd::floor(xsimd::select(convertible, x, V(0))), x);
  } else {
    return xsimd::floor(x);
  }
}

// ⌊n/2⌋ and about n/3 (within one) for an integer-valued n: splits of a power-of-two exponent.
template <class V>
inline V floor_half(const V& n) noexcept {
  return detail::floor(n * V(scalar_t<V>(0.5)));
}
template <class V>
inline V floor_third(const V& n) noexcept {
  return detail::floor(n * V(scalar_t<V>(1) / scalar_t<V>(3)));
}

// A constant of V's scalar type, broadcast when V is a batch.
template <class V>
inline V constant(double c) noexcept {
  return V(static_cast<scalar_t<V>>(c));
}

}  // namespace detail
}  // namespace activ
