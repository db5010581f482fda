// activ/detail/fast_math.hpp — the kernels of the activ::fast policy: the same reductions as
// math.hpp, but each operation rounds on its own (no double-word carries). Their errors, measured
// like the accurate ones, are in docs/accuracy.md: a few ULP. The logistic family (σ, σ′, tanh′,
// swish, softplus, softplus′) takes e^−z as one normal number where |z| allows it (the direct
// forms below; float on AVX-512 and AVX2 + FMA through a table of 2^(j/16) or 2^(j/8) and a shorter
// polynomial); everything else, and those beyond, is written over e^−|z| = p·2^n, scaled by its
// power of two as late as possible so that subnormal results still round (about) once.
#pragma once

#include "math.hpp"

#include <cstddef>
#include <iterator>

namespace activ {
namespace detail {
namespace fast {

// Divisions are divisions (detail::divide, correctly rounded), on every arch. The loops here are
// bound by the FMA ports, which a reciprocal estimate's Newton steps and the final product load,
// while the divider runs beside them: with AVX2 one division measured 1.11–1.34× faster than the
// 2^−12 estimate and two steps, and with AVX-512 1.1–1.4× faster than rcp14 (2^−14) and one step
// (float σ, σ′, tanh′, swish, swish′, softplus, softplus′; double 1.0–1.3×, against two steps). It
// also rounds once where the refined estimate rounded three or five times.

// e^x = p·2^n for x ≤ 0 (and NaN), p ∈ [0.70, 1.42] rounded about once, n an integer. The same
// holds up to exp_constants<T>::highest (the reduction does not care about the sign): log-softmax
// backward takes any y. t = n + shifter where the reduction below made the pair (pow2_shifted(t)
// is 2^n without a conversion); 0 in pairs made otherwise.
template <class V>
struct exp_pair {
  V p;
  V n;
  V t = V(scalar_t<V>(0));
};

// x = n·ln 2 + r for x ≥ lowest (x clamped there), |r| ≤ ln 2/2 (as exp_pair: r, n).
template <class V>
inline exp_pair<V> reduce(const V& x, const V& lowest) noexcept {
  using C = exp_constants<scalar_t<V>>;
  const V xc = detail::at_least(x, lowest);
  const V shifter = V(C::shifter);
  const V t = detail::mul_add(xc, V(C::log2e), shifter);
  const V n = t - shifter;
  const V r = detail::neg_mul_add(n, V(C::ln2_hi), xc);
  return {detail::neg_mul_add(n, V(C::ln2_lo), r), n, t};
}

// ---- tables of 2^(j/N) ----------------------------------------------------------------------------
// Float batches of 16 lanes (AVX-512) and of 8 lanes on AVX2 with FMA reduce e^−z by a table of N =
// 16 or 8 entries, which one permute (vpermd) reads from a register: −N·z/ln 2 = k + ρ, k = N·n + j
// (0 ≤ j < N, |ρ| ≤ 1/2), e^−z = 2^n·T_j·e^−r with T_j = 2^(j/N) rounded to float and r = z +
// k·ln 2/N + d_j, d_j = ln T_j − j·ln 2/N (|d_j| < 2^−24.5): the entries' rounding (up to 2^−24.4
// relative, about 0.4 ULP) is taken into r, not into the result. |r| ≤ ln 2/(2N), where e^r needs a
// cubic (N = 16) or a quartic (N = 8) to float's precision and the table-free form (|r| ≤ ln 2/2)
// degree 6: three or two FMAs fewer, for two permutes and an addition (fast σ, swish, σ′, softplus′
// 1.1–1.2× faster with AVX-512, 1.1–1.3× with AVX2). e^x − 1 for x ≤ 0 (fast ELU and SELU, the
// fast softplus′ from y) reads the same table as (s − 1) + s·(e^u − 1), see
// expm1_nonpositive_by_table: 1.08–1.15× faster with AVX-512 and with AVX2 (then a cubic in both),
// and at most 2.6 ULP where it was 1.2 (ELU(2.5) with AVX-512's quadratic; 1.4 with AVX2's cubic,
// tests/test_fast.cpp). The fast softmax's e^(x − m) measured no faster (0.95–1.08×, within the
// noise): left table-free, as the double and non-FMA tanh's e^(−2|x|) − 1.
// The shifter leaves k in the low bits of t, from which the permute takes j; t's bits shifted left
// by 23 − log2 N put n in the exponent field and j in the mantissa's top bits, which the integer
// entries (the bits of T_j less j·2^(23 − log2 N)) take back. The cost in accuracy: 2^n·T_j is not a
// power of two, so its product with the polynomial is one more rounding, about half an ULP more
// where a result is proportional to e^−z (fast swish′ at βz ≪ 0: 4.5 ULP measured, bound 5;
// docs/accuracy.md).

// Whether V reduces by a table here.
template <class V>
constexpr bool exp_by_table() noexcept {
  if constexpr (value_traits<V>::is_batch && std::is_same<scalar_t<V>, float>::value) {
    if constexpr (sizeof(V) == 64) return XSIMD_WITH_AVX512F != 0;
    if constexpr (sizeof(V) == 32) return XSIMD_WITH_AVX2 && ACTIV_X86_FMA;
  }
  return false;
}

// The table and polynomial for V's lane count (minimax fits of e^r, with the relative error each
// reaches on ±1.001·ln 2/(2N)).
template <class V, std::size_t N = sizeof(V) / sizeof(float)>
struct exp_table;
template <class V>
struct exp_table<V, 16> {
  static constexpr float log2e_n = 0x1.715476p+4f;                              // 16/ln 2
  static constexpr float ln2_n_hi = 0x1.62e43p-5f, ln2_n_lo = -0x1.05c61p-33f;  // ln 2/16
  static constexpr int shift = 19;
  alignas(64) static constexpr std::int32_t entries[16] = {
      0x3f800000, 0x3f7daac3, 0x3f7b95c2, 0x3f79c3d3, 0x3f7837f0, 0x3f76f532, 0x3f75fed7, 0x3f75583f,
      0x3f7504f3, 0x3f7508a4, 0x3f75672a, 0x3f76248c, 0x3f7744fd, 0x3f78ccdf, 0x3f7ac0c7, 0x3f7d257d};
  static constexpr float offsets[16] = {
      0.0f, -0x1.8d96d4p-25f, 0x1.9c0c22p-27f, -0x1.964902p-25f, -0x1.125002p-25f, -0x1.370be4p-25f,
      0x1.0a3552p-25f, 0x1.00d8acp-27f, -0x1.26055cp-26f, 0x1.05cb44p-25f, -0x1.67a1cap-28f, -0x1.a3b5e4p-28f,
      0x1.f9c306p-27f, 0x1.6961b4p-28f, 0x1.a5217cp-28f, -0x1.61428ep-28f};
  static constexpr float exp[] = {1.0f, 1.0f, 0x1.00022p-1f, 0x1.55559ap-3f};  // e^r: 2^−29.2
  static constexpr coefficients<float, 4> exp_neg = alternating(exp);          // e^−r
  static constexpr float expm1[] = {1.0f, 0x1.0001fp-1f, 0x1.55586ep-3f};      // (e^u − 1)/u: 2^−23.2
};
template <class V>
struct exp_table<V, 8> {
  static constexpr float log2e_n = 0x1.715476p+3f;                              // 8/ln 2
  static constexpr float ln2_n_hi = 0x1.62e43p-4f, ln2_n_lo = -0x1.05c61p-32f;  // ln 2/8
  static constexpr int shift = 20;
  alignas(32) static constexpr std::int32_t entries[8] = {0x3f800000, 0x3f7b95c2, 0x3f7837f0, 0x3f75fed7,
                                                          0x3f7504f3, 0x3f75672a, 0x3f7744fd, 0x3f7ac0c7};
  static constexpr float offsets[8] = {
      0.0f, 0x1.9c0c22p-27f, -0x1.125002p-25f, 0x1.0a3552p-25f, -0x1.26055cp-26f, -0x1.67a1cap-28f,
      0x1.f9c306p-27f, 0x1.a5217cp-28f};
  static constexpr float exp[] = {1.0f, 1.0f, 0x1p-1f, 0x1.555c7ap-3f, 0x1.55483cp-5f};  // 2^−32.3
  static constexpr coefficients<float, 5> exp_neg = alternating(exp);
  static constexpr float expm1[] = {1.0f, 0x1p-1f, 0x1.555d9p-3f, 0x1.555ad2p-5f};  // 2^−27.0
};

// table[j] in each lane, j the low log2 N bits of the lane of `index` (N = V's lane count): one
// permute of the table's N 32-bit entries, held in a register.
template <class V>
inline int_t<V> table_entries([[maybe_unused]] const int_t<V>& index, [[maybe_unused]] const void* table) noexcept {
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(V) == 64) return int_t<V>(_mm512_permutexvar_epi32(index, _mm512_load_si512(table)));
#endif
#if XSIMD_WITH_AVX2
  if constexpr (sizeof(V) == 32) {
    return int_t<V>(_mm256_permutevar8x32_epi32(_mm256_load_si256(static_cast<const __m256i*>(table)), index));
  }
#endif
}

// The offsets d_j/S, for a reduction of e^−S·a in a (S a power of two: exact; S = 1 is the table
// itself).
template <class V, int S>
struct scaled_offsets {
  static constexpr std::size_t N = std::size(exp_table<V>::offsets);
  struct alignas(sizeof(V)) values {
    float d[N];
  };
  static constexpr values make() noexcept {
    values v{};
    for (std::size_t j = 0; j < N; ++j) v.d[j] = exp_table<V>::offsets[j] / float(S);
    return v;
  }
  static constexpr values table = make();
};

// d_j and s = 2^n·T_j for the bits of the reduction's t = k + shifter, each on its own: one function
// returning the pair made GCC 12 store both to the stack in every iteration of the loops (AVX-512:
// the fast σ′ and tanh′ two stores per batch, the fast ELU one), though nothing read them.
template <class V, int S = 1>
inline V table_offset(const int_t<V>& bits) noexcept {
  return detail::from_bits<V>(fast::table_entries<V>(bits, scaled_offsets<V, S>::table.d));
}
template <class V>
inline V table_scale(const int_t<V>& bits) noexcept {
  using C = exp_table<V>;
  return detail::from_bits<V>(
      detail::wrapping_add(fast::table_entries<V>(bits, C::entries), detail::wrapping_shift_left(bits, C::shift)));
}

// e^−z = s·e^−r as above, for |z| ≤ 87, z = S·a given as a (S a power of two): r/S is reduced
// from a with the constants scaled by S (each rounding the same, times a power of two), so that
// the product S·a costs nothing (the fast tanh′ takes e^−2|x|).
template <class V>
struct table_parts {
  V r;
  V s;
};
template <int S = 1, class V>
inline table_parts<V> reduce_by_table(const V& a) noexcept {
  using C = exp_table<V>;
  const V shifter = V(exp_constants<float>::shifter);
  const V t = detail::mul_add(a, V(-C::log2e_n * float(S)), shifter);
  const V k = t - shifter;
  const V r = detail::mul_add(k, V(C::ln2_n_lo / float(S)), detail::mul_add(k, V(C::ln2_n_hi / float(S)), a));
  const int_t<V> bits = detail::to_bits(t);
  return {r + fast::table_offset<V, S>(bits), fast::table_scale<V>(bits)};
}

// e^x − 1 = 2^n·(1 + p) − 1 for x ≥ lowest: p = e^r − 1, each step rounded once.
template <class V>
inline exp_pair<V> expm1_reduced(const V& x, const V& lowest) noexcept {
  using C = exp_constants<scalar_t<V>>;
  const exp_pair<V> e = fast::reduce(x, lowest);
  return {detail::mul_add(e.p * e.p, detail::horner(e.p, C::q_fast), e.p), e.n, e.t};
}

// x clamped at `lowest` (by default where e^x rounds to 0 in any case).
template <class V>
inline exp_pair<V> exp_nonpositive_parts(const V& x, const V& lowest) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  if constexpr (std::is_same<T, float>::value) {
    const exp_pair<V> e = fast::reduce(x, lowest);
    return {detail::horner(e.p, C::exp_fast), e.n, e.t};
  } else {
    const exp_pair<V> e = fast::expm1_reduced(x, lowest);
    return {e.p + V(T(1)), e.n, e.t};
  }
}
template <class V>
inline exp_pair<V> exp_nonpositive_parts(const V& x) noexcept {
  return fast::exp_nonpositive_parts(x, V(exp_constants<scalar_t<V>>::lowest));
}

// 2^n floored at the smallest normal power of two.
template <class V>
inline V floored_pow2(const V& n) noexcept {
  using T = scalar_t<V>;
  return detail::pow2(detail::at_least(n, V(T(std::numeric_limits<T>::min_exponent - 1))));
}

// p·2^n where only its size next to 1 matters (1 + e): 2^n floored at the smallest normal (one
// instruction on AVX-512).
template <class V>
inline V tiny_scaled(const exp_pair<V>& e) noexcept {
  if constexpr (detail::scales_in_one_instruction<V>()) return detail::ldexp<2>(e.p, e.n);
  return e.p * fast::floored_pow2(e.n);
}

// v·2^(n + k) as detail::ldexp<Parts> gives it, for the pair of a reduction of x ≤ 0 (n ≤ 0, t set)
// and an integer k ≤ 2: ldexp's one product where 2^(n + k) is normal, for which n + k ≤ 2 leaves
// one compare, and 2^(n + k) from the reduction's t.
template <int Parts, class V>
inline V scaled_nonpositive(const V& v, const exp_pair<V>& e, int k = 0) noexcept {
  using T = scalar_t<V>;
  if constexpr (!detail::scales_in_one_instruction<V>()) {
    const V lowest = V(T(std::numeric_limits<T>::min_exponent - 1 - k));
    if (detail::all_of(e.n >= lowest)) return v * detail::pow2_shifted(e.t, k);
  }
  return detail::ldexp_factors<Parts>(v, e.n + V(T(k)));
}

// e^x for x ≤ 0.
template <class V>
inline V exp_nonpositive(const V& x) noexcept {
  const exp_pair<V> e = fast::exp_nonpositive_parts(x);
  return fast::scaled_nonpositive<2>(e.p, e);
}

// Where the fast e^x − 1 clamps x: below, e^x < 2^−(p+2) and e^x − 1 rounds to −1 (expm1_neg_twice
// clamps a at −expm1_lowest/2, exactly the same inputs).
template <class T>
inline constexpr T expm1_lowest = -T(std::numeric_limits<T>::digits + 2) * T(0.69314718055994530942);

// a·(e^x − 1) from the table (exp_by_table<V>) for x ≤ 0 and NaN, −a where e^x < 2^−(p+2):
// e^x = s·e^u with u = x − k·ln 2/N − d_j, and a·(e^x − 1) = (a·s − a) + s·u·a·q(u), q(u) =
// (e^u − 1)/u. a·s − a is one rounding of a·(s − 1) (exact for a = 1 and s ≥ 1/2, where e^x − 1 is
// small), and a·q's leading coefficient is a: the factor costs no product of its own, and with x > 0
// left unclamped (ELU and SELU select those lanes away; up to 88 the value is still a·(e^x − 1),
// which the fast softplus′ from y relies on) the fast ELU forward measured 1.21× faster, SELU
// 1.35× (AVX-512, 4096 and 65536 floats). q is a quadratic for N = 16 (relative error 2^−23.2 on
// |u| ≤ ln 2/32, as XNNPACK's ELU: one FMA of ~19, 1.04–1.08× faster, ELU(2.5) 1.16 → 2.54 ULP
// measured) and a cubic for N = 8 (2^−27; a quadratic would be 2^−20.1). ln 2/N rounds to a float
// within 2^−33·16/N of it, and the error k times that leaves in e^x is at most 0.05 ULP of e^x − 1
// (the worst near k = −1).
template <class V>
inline V expm1_nonpositive_by_table(const V& x, scalar_t<V> a) noexcept {
  using T = scalar_t<V>;
  using C = exp_table<V>;
  const V xc = detail::at_least(x, V(expm1_lowest<T>));
  const V shifter = V(exp_constants<float>::shifter);
  const V t = detail::mul_add(xc, V(C::log2e_n), shifter);
  const int_t<V> bits = detail::to_bits(t);
  const V s = fast::table_scale<V>(bits);
  const V u = detail::neg_mul_add(t - shifter, V(C::ln2_n_hi), xc) - fast::table_offset<V>(bits);
  T q[std::size(C::expm1)];
  for (std::size_t i = 0; i < std::size(q); ++i) q[i] = a * C::expm1[i];
  return detail::mul_add(s * u, detail::horner(u, q), detail::mul_add(V(a), s, V(-a)));
}

// e^x − 1 for x ≤ 0 (and NaN): 2^n·(1 + p) − 1 = 2^n·p + (2^n − 1), exact in its last step for
// n = 0, where the result is small; −1 where e^x < 2^−(p+2).
template <class V>
inline V expm1_nonpositive(const V& x) noexcept {
  using T = scalar_t<V>;
  if constexpr (fast::exp_by_table<V>()) return fast::expm1_nonpositive_by_table(x, T(1));
  const exp_pair<V> e = fast::expm1_reduced(x, V(expm1_lowest<T>));
  const V scale = detail::pow2_shifted(e.t);
  return detail::mul_add(scale, e.p, scale - V(T(1)));
}

// a·(e^x − 1) for x ≤ 0 (and NaN); where x > 0 an unspecified value, for the caller to select
// away (the table's form skips the clamp at 0 the others take). The table's form folds a into q,
// whose values reach 1.03·|a|: for |a| > max/2 they could overflow (found by
// tests/fuzz/fuzz_elementwise: ELU(max) gave +∞ at x = −9.01 where the value is −0.99988·max),
// and a multiplies e^x − 1 instead, one rounding more (a compare per batch on a loop constant).
template <class V>
inline V expm1_nonpositive_times(const V& x, scalar_t<V> a) noexcept {
  using T = scalar_t<V>;
  if constexpr (fast::exp_by_table<V>()) {
    if (std::fabs(a) <= std::numeric_limits<T>::max() / 2) return fast::expm1_nonpositive_by_table(x, a);
    return V(a) * fast::expm1_nonpositive_by_table(x, T(1));
  }
  return V(a) * fast::expm1_nonpositive(detail::at_most(x, V(T(0))));
}

// The coefficients c_i·s^(i+k), k = 0 or 1: Horner's rule in x/s over them gives s^k·(its value in
// x), each step the same rounding scaled by a power of two where s is one.
template <int K = 1, class T, std::size_t N>
constexpr coefficients<T, N> scaled_by_powers(const T (&c)[N], T s) noexcept {
  static_assert(K == 0 || K == 1, "scaled_by_powers: s^i or s^(i+1)");
  coefficients<T, N> a{};
  T power = K == 0 ? T(1) : s;
  for (std::size_t i = 0; i < N; ++i, power *= s) a.c[i] = c[i] * power;
  return a;
}

// e^(−2a) − 1 for a ≥ 0 (and NaN): expm1_nonpositive(−2a) with the factor −2 folded into the
// reduction's constants. a = n·ln2/2 + r/2 and, r being −2 times each step's value, every rounding
// is the same as expm1_nonpositive's times a power of two: the same value, one product fewer.
template <class V>
inline V expm1_neg_twice(const V& a) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  static constexpr coefficients<T, sizeof(C::q_fast) / sizeof(T)> q = scaled_by_powers(C::q_fast, T(-2));
  const V ac = detail::at_most(a, V(expm1_lowest<T> * T(-0.5)));
  const V shifter = V(C::shifter);
  const V t = detail::mul_add(ac, V(T(-2) * C::log2e), shifter);
  const V n = t - shifter;
  const V h = detail::mul_add(n, V(C::ln2_lo * T(0.5)), detail::mul_add(n, V(C::ln2_hi * T(0.5)), ac));  // −r/2
  const V p = detail::mul_add(h * h, detail::horner(h, q.c), h);  // −(e^r − 1)/2
  const V twice_scale = detail::pow2_shifted(t, 1);  // 2^(n+1)
  return detail::neg_mul_add(twice_scale, p, detail::mul_add(twice_scale, V(T(0.5)), V(T(-1))));
}

// tanh|x|. For float where mul_add fuses (x86 with FMA, AArch64, and their scalar paths) a rational
// function, a·(P(a²)/Q(a²)) with a = min(|x|, 9.02) (from there on tanh rounds to 1): P and Q of
// degree 4 with positive coefficients, a minimax fit to tanh(a)/a of relative error 2^−25.4 on
// [0, 9.02] (mpmath, iteratively reweighted least squares), rounded to float and then moved by a
// few units in their last places where that lowered the error measured on every float. Eight FMAs,
// two products and a division, against e^x − 1's reduction, polynomial, scaling and quotient: 1.33×
// faster with AVX-512, 1.31–1.46× with AVX2. Every operation rounds correctly (FMA, products,
// division, min), so every arch gives the same bits (checked against AArch64 under qemu). On every
// float in [0, 9.06]: at most 5.15 ULP, the worst near 1, where tanh's ULP is 2^−24 of it and P's
// and Q's own roundings (about three each of relative 2^−24, their upper terms dominating) add up;
// e^x − 1's form measured 2.50. Correcting the quotient by its exact residual (a·P as two floats by
// one FMA) gave 4.59, but was 1.3× slower than the plain division with AVX-512 and slower than
// e^x − 1 with AVX2. The result
// is clamped at 1 (the fit and the roundings reach 1 + 2^−23 near 9.02); NaN passes (at_most keeps
// it), and |x| keeps tanh(−0) = −0 in the caller's copysign. Without FMA (each step would round
// twice) and for double: −u/(2 + u) with u = e^(−2|x|) − 1.
template <class V>
inline V tanh_abs(const V& x) noexcept {
  using T = scalar_t<V>;
  if constexpr (std::is_same<T, float>::value && detail::fuses<V>::value) {
    static constexpr float p[] = {1.0f, 0x1.1213b8p-3f, 0x1.ca6a6cp-9f, 0x1.5a348ap-16f, 0x1.cbdcdep-27f};
    static constexpr float q[] = {1.0f, 0x1.de5f2ap-2f, 0x1.a81682p-6f, 0x1.58d27p-12f, 0x1.a2396p-21f};
    const V a = detail::at_most(detail::abs(x), V(9.02f));
    const V t = a * a;
    return detail::at_most(a * detail::divide(detail::horner(t, p), detail::horner(t, q)), V(1.0f));
  } else {
    const V u = fast::expm1_neg_twice(detail::abs(x));  // e^(−2|x|) − 1
    return detail::divide(u, V(T(-2)) - u);              // −u/(2 + u), no negation
  }
}

// σ(|z|) = r and σ(−|z|) = q·2^n from e^−|z| = p·2^n: r = 1/(1 + e), q = p·r. dz (the rounding
// error of z = β·x, or 0) is carried to first order, as in the accurate kernel.
template <class V>
struct logistic_parts {
  V r;  // σ(|z|)
  V q;  // σ(−|z|)·2^−n
  V n;
};

template <class V>
inline logistic_parts<V> logistic_from(const exp_pair<V>& e) noexcept {
  using T = scalar_t<V>;
  const V r = detail::divide(V(T(1)), V(T(1)) + fast::tiny_scaled(e));
  return {r, e.p * r, e.n};
}

// e^−|z + dz| ≈ e^−|z|·(1 ∓ dz), and e^−|z|.
template <class V>
inline exp_pair<V> exp_neg_abs(const V& z, const V& dz) noexcept {
  using T = scalar_t<V>;
  exp_pair<V> e = fast::exp_nonpositive_parts(detail::neg_abs(z));
  e.p = detail::neg_mul_add(e.p, detail::select(z >= V(T(0)), dz, -dz), e.p);
  return e;
}

template <class V>
inline exp_pair<V> exp_neg_abs(const V& z) noexcept {
  return fast::exp_nonpositive_parts(detail::neg_abs(z));
}

template <class V>
inline logistic_parts<V> logistic(const V& z, const V& dz) noexcept {
  return fast::logistic_from(fast::exp_neg_abs(z, dz));
}

template <class V>
inline logistic_parts<V> logistic(const V& z) noexcept {
  return fast::logistic_from(fast::exp_neg_abs(z));
}

// σ(z) from e^−|z| = p·2^n: with e = p·2^n rounded once (subnormal where σ(z) is), r = 1/(1 + e)
// is σ(|z|) and e·r is σ(−|z|), rounded once more where it is normal and exactly e where it is
// subnormal (r = 1 there). One scaling where the logistic parts take two.
template <class V>
inline V sigmoid(const exp_pair<V>& parts, const V& z) noexcept {
  using T = scalar_t<V>;
  const V e = detail::ldexp<2>(parts.p, parts.n);
  const V r = detail::divide(V(T(1)), V(T(1)) + e);
  return detail::select(z >= V(T(0)), r, e * r);
}

// 2^K·σ(z)·σ(−z), at most 2^(K−2). Near z = 0 the rounded parts can exceed that bound by two
// ULP (σ′ = 1/4 + 2^−24, tanh′ = 1 + 2^−22 at tiny x, scalar and SIMD alike): clamped, so that
// σ′ ≤ 1/4 and tanh′ ≤ 1 hold as they do exactly, and dy·tanh′ never exceeds |dy| (at dy = max,
// ∞ from one path and a finite value from another). NaN passes through (one min instruction).
template <int K = 0, class V>
inline V sigmoid_product(const logistic_parts<V>& s) noexcept {
  using T = scalar_t<V>;
  return detail::at_most(detail::ldexp<2>(s.r * s.q, s.n + V(T(K))), V(detail::pow2_v<T, K - 2>));
}

// ---- the direct forms ---------------------------------------------------------------------------
// Where |z| ≤ direct_bound (86 for float, 708 for double), e^−z is itself a normal number, and so
// is every result of the size of e^−|z|: σ(z) = 1/(1 + e^−z) is one quotient and σ′ = e/(1 + e)²
// another, where the scaled forms above build σ(±|z|) from e^−|z| = p·2^n, select between them and
// scale at the end (AVX2, n = 4096 and 65536: σ 1.1–1.35x, swish forward 1.4–1.6x). A batch takes the
// direct form when every lane is in that range (a compare and a predictable branch: the common
// case by far), otherwise the scaled form for the lanes beyond it, ±∞ and NaN: each lane's value
// depends on its own z alone, so the scalar and batch paths agree.
template <class T>
inline constexpr T direct_bound = std::is_same<T, float>::value ? T(86) : T(708);

// p·scale, with scale a power of two (from the table: 2^n times its entry T_j): kept apart so that
// 1 + p·scale is one fused rounding.
template <class V>
struct scaled_value {
  V p;
  V scale;
};

// e^−z for |z| ≤ direct_bound: z = n·ln 2 + r, e^−r by the polynomial in −r (its odd coefficients
// negated), and 2^−n built from the bits of the reduction's n + shifter, whose low bits hold n.
// z = S·a is given as a (S a power of two); where the table reduces, the product is folded into
// its constants (reduce_by_table), the same bits as from z.
template <int S = 1, class V>
inline scaled_value<V> exp_neg_direct(const V& a) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  using I = int_t<V>;
  if constexpr (fast::exp_by_table<V>()) {  // e^−z = s·e^−r
    static constexpr coefficients<float, std::size(exp_table<V>::exp_neg.c)> q =
        scaled_by_powers<0>(exp_table<V>::exp_neg.c, float(S));
    const table_parts<V> e = fast::reduce_by_table<S>(a);
    return {detail::horner(e.r, q.c), e.s};
  }
  const V z = S == 1 ? a : V(T(S)) * a;
  const V shifter = V(C::shifter);
  const V t = detail::mul_add(z, V(C::log2e), shifter);
  const V n = t - shifter;
  const V r = detail::neg_mul_add(n, V(C::ln2_lo), detail::neg_mul_add(n, V(C::ln2_hi), z));
  V p;
  if constexpr (std::is_same<T, float>::value) {
    p = detail::horner(r, C::exp_fast_neg.c);
  } else {  // e^−r = 1 − (r − r²·q(−r))
    p = V(T(1)) - detail::neg_mul_add(r * r, detail::horner(r, C::q_fast_neg.c), r);
  }
  // The exponent field of 2^−n is bias − n = (bias + bits(shifter)) − bits(t).
  const I k = detail::wrapping_sub(I(bits_of<T>::exponent_bias + detail::to_bits(C::shifter)), detail::to_bits(t));
  return {p, detail::from_bits<V>(detail::wrapping_shift_left(k, bits_of<T>::mantissa_bits))};
}

// e^−(z + dz) ≈ e^−z·(1 − dz), dz the rounding error of z = β·x.
template <class V>
inline scaled_value<V> exp_neg_direct(const V& z, const V& dz) noexcept {
  scaled_value<V> e = fast::exp_neg_direct(z);
  e.p = detail::neg_mul_add(e.p, dz, e.p);
  return e;
}

// 1 + e, rounded once.
template <class V>
inline V one_plus(const scaled_value<V>& e) noexcept {
  using T = scalar_t<V>;
  return detail::mul_add(e.p, e.scale, V(T(1)));
}

// direct() where every lane of z is within direct_bound, else direct() and scaled(args...) chosen
// per lane; scaled is called out of line (detail::out_of_line), with its operands passed by value.
// z = S·x (S a power of two) may be given as x, the bound then taken as direct_bound/S (exact),
// and with Abs false as |x| (≥ 0 or NaN): no product formed, no absolute value taken.
template <int S = 1, bool Abs = true, class V, class Direct, class Scaled, class... Args>
inline V direct_or_scaled(const V& z, const Direct& direct, const Scaled& scaled, const Args&... args) {
  using T = scalar_t<V>;
  const V a = Abs ? detail::abs(z) : z;
  const V margin = a - V(direct_bound<T> / T(S));  // < 0 in range; NaN (sign clear) is not
  const V y = direct();
  if (detail::all_negative(margin)) return y;
  return detail::select(margin < V(T(0)), y, detail::out_of_line(scaled, args...));
}

// σ(z + dz) = 1/(1 + e^−(z + dz)).
template <class V>
inline V sigmoid_at(const V& z, const V& dz) noexcept {
  return fast::direct_or_scaled(
      z, [&] { return detail::divide(V(scalar_t<V>(1)), fast::one_plus(fast::exp_neg_direct(z, dz))); },
      [](const V& w, const V& dv) { return fast::sigmoid(fast::exp_neg_abs(w, dv), w); }, z, dz);
}
template <class V>
inline V sigmoid_at(const V& z) noexcept {
  return fast::direct_or_scaled(
      z, [&] { return detail::divide(V(scalar_t<V>(1)), fast::one_plus(fast::exp_neg_direct(z))); },
      [](const V& w) { return fast::sigmoid(fast::exp_neg_abs(w), w); }, z);
}

// 2^K·σ(z)·σ(−z) = 2^K·e/(1 + e)² with e = e^−|z| ∈ (0, 1], as e/h² with h = 2^−K/2·(1 + e), at
// most 2^(K−2) (clamped as sigmoid_product is), for z = S·x (S a power of two) given as x: the
// fast tanh′ = 4·σ(2x)·σ(−2x) forms no 2|x| (a product and a second absolute value, of 23 vector
// operations per batch: 1.16× faster, tanh backward 1.20–1.26×, AVX-512).
template <int K = 0, int S = 1, class V>
inline V sigmoid_product_at(const V& x) noexcept {
  using T = scalar_t<V>;
  static_assert(K % 2 == 0, "sigmoid_product_at: an even power of two");
  const V a = detail::abs(x);
  return fast::direct_or_scaled<S, false>(
      a,
      [&] {
        const scaled_value<V> parts = fast::exp_neg_direct<S>(a);
        const V e = parts.p * parts.scale;
        const V half_k = V(detail::pow2_v<T, -K / 2>);
        const V h = detail::mul_add(e, half_k, half_k);
        return detail::at_most(detail::divide(e, h * h), V(detail::pow2_v<T, K - 2>));
      },
      [](const V& w) { return fast::sigmoid_product<K>(fast::logistic(S == 1 ? w : V(T(S)) * w)); }, a);
}

// z = β·x and its rounding error (TwoProduct: one FMA where the arch fuses), the error zeroed
// where it is not meaningful. Without it the rounding of β·x alone costs |βx|/2 ULP of e^−|βx|.
template <class V>
inline dw<V> scaled_argument(const V& a, const V& b) noexcept {
  using T = scalar_t<V>;
  const dw<V> z = detail::two_product(a, b);
  const auto meaningful = detail::abs(z.hi) < V(-exp_constants<T>::lowest);  // then |z.lo| ≤ ulp(z)/2 too
  return {z.hi, detail::select(meaningful, z.lo, V(T(0)))};
}

// log(1 + e) for e ∈ [0, 1] (and NaN). float: 2·atanh(s) with s = e/(2 + e) ∈ [0, 1/3] directly,
// 2s + s³·T(s²) with T a 5-term minimax fit (Sollya fpminimax, relative error 2^−26 on [0, 1/3]).
// double (whose series would need 12 terms there): 1 + e = 2^k·m, m ∈ [√2/2, √2), f = m − 1,
// s = f/(2 + f) ∈ [−0.172, 0.172], the accurate kernel's 8-term T, and (e − (u − 1))/u for the
// rounding of u = 1 + e.
template <class V>
inline V log1p_unit(const V& e) noexcept {
  using T = scalar_t<V>;
  using C = exp_constants<T>;
  const V one = V(T(1));
  if constexpr (std::is_same<T, float>::value) {
    constexpr float tail[] = {0x1.555556p-1f, 0x1.999866p-2f, 0x1.24d764p-2f, 0x1.bb33p-3f, 0x1.e116dp-3f};
    const V s = detail::divide(e, V(T(2)) + e);
    const V w = s * s;
    return detail::mul_add(s * w, detail::horner(w, tail), s + s);
  }
  const V u = one + e;
  const auto reduce = u > V(T(1.41421356237309504880));
  const V m = detail::select(reduce, u * V(T(0.5)), u);
  const V k = detail::select(reduce, one, V(T(0)));
  const V f = m - one;
  const V s = detail::divide(f, V(T(2)) + f);
  const V w = s * s;
  const V c = detail::divide(e - (u - one), u);
  const V log_m = detail::mul_add(s * w, detail::horner(w, C::atanh_tail), s + s);
  return detail::mul_add(k, V(T(0.69314718055994530942)), log_m + c);
}

}  // namespace fast

// β·x and its rounding error for a functor of policy Policy: exactly x and 0 for the common β = 1;
// the fast policy on a fusing arch takes the two instructions of TwoProduct rather than a branch.
template <class Policy, class V>
inline dw<V> beta_argument(scalar_t<V> beta, const V& x) noexcept {
  using T = scalar_t<V>;
  if constexpr (is_fast_v<Policy> && fuses<V>::value) return fast::scaled_argument(V(beta), x);
  if (beta == T(1)) return {x, V(T(0))};
  if constexpr (is_fast_v<Policy>) return fast::scaled_argument(V(beta), x);
  return detail::scaled_argument(V(beta), x);
}

}  // namespace detail
}  // namespace activ
