// activ/detail/online_softmax.hpp — the kernels behind Softmax and LogSoftmax.
//
// Forward makes two passes over each distribution (Milakov & Gimelshein, "Online normalizer
// calculation for softmax", 2018): the first keeps, per SIMD lane, the running maximum m and the
// sum of the other terms e^(x − m), rescaling it when m moves (the rescaling exponential runs only
// when some lane's maximum moves: about log n times per lane on random data); the second writes
// e^(x − M)/(1 + rest) (or x − M − log1p(rest)). Choices of our own:
//   * the maximum's own term (1) is kept out of the sum, so log-softmax needs log1p(rest) and
//     keeps full relative accuracy on its largest output;
//   * the sum is Kahan-compensated, so each distribution sums to 1 within a few ULP even for
//     n = 10^6;
//   * x − m is split into its rounded value and rounding error (Knuth's two-sum), and e^(x − m) is
//     corrected to first order, in both passes: otherwise the rounding of x − m alone costs up to
//     |x − m|/2 ULP, of the smallest outputs and, through terms up to e^16, of the sum.
// Special distributions follow ../API.md: any NaN → all NaN; +∞ entries share the mass equally, 0
// elsewhere; all −∞ → all NaN (0/0, as in PyTorch); one element → 1.
//
// On x86 the accurate policy evaluates float distributions in double instead (below:
// float_in_double). Three walks share these bodies: one contiguous distribution (lanes along it),
// W adjacent distributions at once (one per lane, elements at a stride: rowwise on column-major
// data), and a scalar walk at any strides for everything else. The SIMD walks are flattened
// (ACTIV_FLATTEN, as the elementwise driver's loop): GCC 12 otherwise kept the online step, the
// exponential and the lane group's load out of line in a translation unit with many kernels, a call
// per batch.
#pragma once

#include "fast_math.hpp"
#include "in_double.hpp"
#include "math.hpp"
#include "transform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace activ {
namespace detail {

inline bool any(bool b) noexcept { return b; }
template <class T, class A>
inline bool any(const xsimd::batch_bool<T, A>& b) noexcept {
  return xsimd::any(b);
}

// x − m as a double-word value (Knuth's TwoSum), the error zeroed where it is not a number (x − m
// infinite: x = −∞).
template <class V>
inline dw<V> subtract(const V& x, const V& m) noexcept {
  using T = scalar_t<V>;
  const dw<V> d = detail::two_sum(x, -m);
  return {d.hi, detail::select(d.lo == d.lo, d.lo, V(T(0)))};
}

// e^(x − m) = 2^n·(hi + lo) for x ≤ m: e^(d + d_lo) = e^d·(1 + d_lo), d_lo being tiny.
template <class V>
inline exp_parts<V> exp_shifted_parts(const V& x, const V& m) noexcept {
  const dw<V> d = detail::subtract(x, m);
  const V clamped = detail::clamp_exp_argument(d.hi);
  exp_parts<V> e = detail::exp_reduce(clamped);
  // The first-order correction holds for the tiny d_lo of an argument in exp's range. Beyond it
  // (where e^(x − m) is 0 anyway) d_lo can be as large as ulp(x − m)/2 ≈ 10^31, and the
  // "correction" made the term negative: softmax gave −2^−149 for x = −10^30 beside
  // m = 3.4·10^38 (found by tests/fuzz/fuzz_softmax).
  e.lo = detail::mul_add(e.hi, detail::select(clamped == d.hi, d.lo, V(scalar_t<V>(0))), e.lo);
  return e;
}

// e^(x − m) as a double-word value (terms below the normal range lose their low bits: they are
// negligible in a sum that holds 1).
template <class V>
inline dw<V> exp_shifted(const V& x, const V& m) noexcept {
  const exp_parts<V> e = detail::exp_shifted_parts(x, m);
  return {detail::ldexp<2>(e.hi, e.n), detail::ldexp<2>(e.lo, e.n)};
}

namespace fast {
// e^(x − m) for x ≤ m with the rounding error of x − m carried to first order (TwoSum): without it
// that rounding alone costs |x − m|/2 ULP. The error is NaN where x − m is not a number; −1 in its
// place keeps e·(1 + error) = 0 for x = −∞ (where e = 0), in one instruction on x86 rather than
// subtract's compare and select.
template <class V>
inline V exp_shifted(const V& x, const V& m) noexcept {
  using T = scalar_t<V>;
  const dw<V> d = detail::two_sum(x, -m);
  const V e = fast::exp_nonpositive(d.hi);
  return detail::mul_add(e, detail::at_least_number(d.lo, V(T(-1))), e);
}

// The three-pass walks below write and sum each term times 2^K, which the normalizer takes back
// (softmax's reciprocal is that of the scaled sum; log-softmax scales the sum back once): with
// x − M clamped at `floor`, 2^(n + K) is a normal number for every n the reduction reaches, and the
// term is one product of p with it, where exp_shifted tests each batch for a subnormal term and
// scales those in two factors (a compare, a branch and a product fewer per batch). A subnormal
// output rounds once, in the product with the reciprocal. A term clamped at the floor is at most
// twice e^floor < 2^−186 (2^−1153): it rounds to 0 in that product, and adds less than 2^−150
// (2^−1074) to log-softmax's sum for any n < 2^31.
template <class T>
struct scaled_terms {
  static constexpr bool is_float = std::is_same<T, float>::value;
  static constexpr T floor = is_float ? T(-130) : T(-800);  // n ≥ −188 (−1155)
  static constexpr int K = is_float ? 64 : 134;
  static constexpr T scale = is_float ? T(0x1p64) : T(0x1p134);  // 2^K
  static constexpr T unscale = is_float ? T(0x1p-64) : T(0x1p-134);
};

// A sum of scaled terms with 2^K taken back: exact but where a part is subnormal, which then
// rounds once.
template <class V>
inline dw<V> unscaled(const dw<V>& sum) noexcept {
  const V unscale(scaled_terms<scalar_t<V>>::unscale);
  return {sum.hi * unscale, sum.lo * unscale};
}

// e^(x − M)·2^K for x ≤ M, given −M (and NaN, which passes). x − M is d + lo exactly, by Fast2Sum
// on min(x, −M) and max(x, −M), of which the first has the larger magnitude for any M (M ≥ 0: −M
// where x ≥ −M, x below; M < 0: x ≤ M < −M): a min, a max and two subtractions where TwoSum takes
// five operations. e^(d + lo) = e^d·(1 + lo), as exp_shifted, with lo clamped to [−1, 1]: |lo| ≤
// ulp(d)/2 ≤ 2^−17 wherever d is above the floor, but below it ulp(d)/2 exceeds 1 once |d| ≥ 2^24
// (found by tests/fuzz/fuzz_softmax: x = 1.4·10^20 beside M = 1.7·10^29 gives d = −M and lo = x,
// and the term came out as 5·10^−37 where it is 0); the clamp keeps such a term at most twice the
// floor's. x = −∞ (lo = NaN, then −1) gives the term 0; M = −∞ (an all −∞ distribution) gives
// −∞ + ∞ = NaN, as specified.
template <class V>
inline V scaled_term(const V& x, const V& neg_m) noexcept {
  using T = scalar_t<V>;
  const V a = detail::at_most(x, neg_m), b = detail::at_least(x, neg_m);
  const V d = a + b;
  const V lo = detail::at_most(detail::at_least_number(b - (d - a), V(T(-1))), V(T(1)));
  const exp_pair<V> e = fast::exp_nonpositive_parts(d, V(scaled_terms<T>::floor));
  const V q = detail::mul_add(e.p, lo, e.p);
  if constexpr (detail::scales_in_one_instruction<V>()) {  // AVX-512: one scalef, the same value
    return detail::ldexp_factors<2>(q, e.n + V(T(scaled_terms<T>::K)));
  }
  return q * detail::pow2_shifted(e.t, scaled_terms<T>::K);
}
}  // namespace fast

// 1 + a for a ≥ 0, as a double-word value.
template <class V>
inline dw<V> with_one(const dw<V>& a) noexcept {
  using T = scalar_t<V>;
  const dw<V> s = detail::two_sum(V(T(1)), a.hi);
  return {s.hi, s.lo + a.lo};
}

// a + b for double-word values: the high parts added error-free, the low parts plainly.
template <class V>
inline dw<V> plus(const dw<V>& a, const dw<V>& b) noexcept {
  const dw<V> s = detail::two_sum(a.hi, b.hi);
  return {s.hi, s.lo + (a.lo + b.lo)};
}

// Per-lane state of the first pass: the running maximum m and the sum of the *other* terms,
// rest = Σ_{x ≠ the maximum} e^(x − m), so that Σ e^(x − m) = 1 + rest. Keeping the maximum's own
// term out of the sum is what lets log-softmax compute log Σ = log1p(rest) without cancellation
// (its largest output is −log1p(rest), tiny when one class dominates). rest is a Kahan sum of the
// terms' high parts plus a plain sum of their low parts: a double-word total, so that the
// normalizer is exact to far below T's precision for any length the tests reach (10^6). The fast
// policy's rest is a Kahan sum of rounded terms kept times 2^K (fast::scaled_term), as its SIMD
// walks keep theirs, so that a subnormal rest rounds once, in others(): rounding each term to the
// subnormal spacing had put log-softmax's largest output up to 46 spacings off (2000 elements,
// tests/test_softmax.cpp; found by the matrix's ACTIV_NO_SIMD build, where every walk is this one).
template <class V, bool Fast = false>
struct online_state {
  using T = scalar_t<V>;
  V m = V(-std::numeric_limits<T>::infinity());
  V rest = V(T(0));
  V c = V(T(0));    // Kahan compensation of rest (the sum is rest − c)
  V low = V(T(0));  // the terms' low parts

  void add(const V& x) noexcept {
    const auto raise = x > m;
    if constexpr (Fast) {  // rounded terms times 2^K, no double-word carries
      const V scale(fast::scaled_terms<T>::scale);
      if (detail::any(raise)) {
        // (2^K + rest)·e^(m − x) = (2^K + rest)·2^−K (≥ 1, exact) times e^(m − x)·2^K: a normal
        // product, where e^(m − x) itself may be subnormal.
        const V moved = detail::select(raise, x, m);
        const V factor = fast::scaled_term(m, -moved);
        const V carried = (detail::kahan_total(rest, c) + scale) * V(fast::scaled_terms<T>::unscale);
        rest = detail::select(raise, carried * factor, rest);
        c = detail::select(raise, V(T(0)), c);
        m = moved;
      }
      const V term = detail::select(x == m, scale, fast::scaled_term(x, -m));
      detail::kahan_add(rest, c, detail::select(raise, V(T(0)), term));
      return;
    }
    if (detail::any(raise)) {
      // The old maximum becomes one of the others: total ← (1 + total)·e^(m − x). Its e^−∞ = 0
      // clears the count of −∞ entries seen before the first finite one (below).
      const V moved = detail::select(raise, x, m);
      const dw<V> scaled = detail::mul_dw(detail::with_one(others()), detail::exp_shifted(m, moved));
      rest = detail::select(raise, scaled.hi, rest);
      c = detail::select(raise, V(T(0)), c);
      low = detail::select(raise, scaled.lo, low);
      m = moved;
    }
    // x equal to the maximum adds e^0 = 1, also for x = m = ±∞ (where x − m is NaN): an all −∞
    // distribution then ends with m = −∞ and every output e^(−∞ − (−∞)) = NaN, as specified.
    const dw<V> e = detail::exp_shifted(x, m);
    const auto one = x == m;
    const V zero = V(T(0));
    detail::kahan_add(rest, c, detail::select(raise, zero, detail::select(one, V(T(1)), e.hi)));
    low = low + detail::select(raise || one, zero, e.lo);
  }
  // The sum of the others, as a double-word value: rest − c + low, the compensation kept in the
  // low part (rounding rest − c to T first cost up to half an ULP of the sum, and 2.02 ULP of an
  // output: found by tests/fuzz/fuzz_softmax). A NaN anywhere stays NaN. The fast policy's is rest − c
  // with 2^K taken back.
  dw<V> others() const noexcept {
    if constexpr (Fast) return fast::unscaled(detail::fast_two_sum(rest, -c));
    return detail::fast_two_sum(rest, low - c);
  }
};

// What the writing pass needs of a distribution's normalizer: softmax the sum 1 + others (and
// its reciprocal), log-softmax log1p(others).
template <class V>
struct normalizer {
  dw<V> value;
  V reciprocal;
};

template <bool Log, bool Fast = false, class V>
inline normalizer<V> norm_of(const dw<V>& others) noexcept {
  using T = scalar_t<V>;
  if constexpr (Fast) {
    if constexpr (Log) {  // once per distribution: as the accurate one
      return {detail::log1p_dw(others.hi, others.lo), V(T(1))};
    } else {
      const V sum = V(T(1)) + others.hi;
      return {{sum, V(T(0))}, detail::divide(V(T(1)), sum)};
    }
  } else if constexpr (Log) {
    return {detail::log1p_dw(others.hi, others.lo), V(T(1))};
  } else {
    const dw<V> sum = detail::with_one(others);
    return {sum, detail::divide(V(T(1)), sum.hi)};
  }
}

// One output from x, the maximum m and the normalizer, rounded once: softmax e^(x − m)/Σ as a
// double-word quotient scaled by its power of two at the end (subnormal outputs round once);
// log-softmax (x − m) − log Σ with both differences exact before the last rounding.
template <bool Log, bool Fast = false, class V>
inline V normalized(const V& x, const V& m, const normalizer<V>& norm) noexcept {
  if constexpr (Fast && !Log) {
    return fast::exp_shifted(x, m) * norm.reciprocal;
  } else if constexpr (Log) {  // both policies: no exponential here, the exact form costs little
    const dw<V> d = detail::subtract(x, m);
    const dw<V> y = detail::two_sum(d.hi, -norm.value.hi);
    const V result = y.hi + (y.lo + (d.lo - norm.value.lo));
    // x = −∞ gives −∞, unless the distribution holds a NaN, which makes the normalizer NaN (in its
    // low part at least: log1p_dw(NaN) may keep a number in its high part): then every output is
    // NaN (found by tests/fuzz/fuzz_softmax: a −∞ entry beside a NaN gave −∞).
    const V total = norm.value.hi + norm.value.lo;
    const auto minus_infinity = d.hi == V(-std::numeric_limits<scalar_t<V>>::infinity());
    return detail::select(minus_infinity && total == total, d.hi, result);
  } else {
    const exp_parts<V> e = detail::exp_shifted_parts(x, m);
    return detail::ldexp<2>(detail::divide_round(dw<V>{e.hi, e.lo}, norm.value, norm.reciprocal), e.n);
  }
}

// A compensated total as a double-word value, and the plain sum of the same terms, which stands for
// it where it is ±∞ or NaN: an infinite term or overflow makes the compensated sum NaN (its
// compensation is ∞ − ∞ and poisons the next addition), where the formula gives ±∞ (dx = y ⊙ (dy −
// ∞) = −∞, not NaN, for an infinite dy).
template <class V>
struct sum_pair {
  dw<V> value;
  V plain;
  sum_pair operator+(const sum_pair& other) const noexcept {
    return {detail::plus(value, other.value), plain + other.plain};
  }
  // The value rounded once, or the plain sum where that is not finite.
  V rounded() const noexcept {
    using T = scalar_t<V>;
    return detail::select(plain - plain == V(T(0)), value.hi + value.lo, plain);
  }
};

// A distribution with +∞ entries (and no NaN): equal mass on them. Reads every x before writing.
template <bool Log, class T>
void softmax_special(const T* x, Index x_stride, T* y, Index y_stride, Index n) {
  Index infinities = 0;
  bool nan = false;
  for (Index i = 0; i < n; ++i) {
    const T v = x[i * x_stride];
    nan = nan || v != v;
    infinities += v == std::numeric_limits<T>::infinity();
  }
  const T share = Log ? -std::log(static_cast<T>(infinities)) : T(1) / static_cast<T>(infinities);
  const T rest = Log ? -std::numeric_limits<T>::infinity() : T(0);
  for (Index i = 0; i < n; ++i) {
    const T v = x[i * x_stride];
    y[i * y_stride] =
        nan ? std::numeric_limits<T>::quiet_NaN() : (v == std::numeric_limits<T>::infinity() ? share : rest);
  }
}

// One distribution at any strides, scalar: the fallback, and the path of special distributions.
#if ACTIV_HAS_SIMD
// Loads and stores for `lanes` ≤ W adjacent distributions (lane k ↔ distribution k): element j of
// the operand at p with step `step` is p + j·step + k. Full groups load directly; a last, partial
// group goes through an aligned buffer (its spare lanes compute on stale but harmless values).
template <class T>
struct lane_group {
  using B = default_batch<T>;
  static constexpr Index W = static_cast<Index>(B::size);
  Index lanes;
  alignas(B::arch_type::alignment()) T buffer[W] = {};

  B load(const T* p, Index step, Index j) {
    if (lanes == W) return B::load_unaligned(p + j * step);
    std::copy(p + j * step, p + j * step + lanes, buffer);
    return B::load_aligned(buffer);
  }
  void store(const B& v, T* p, Index step, Index j) {
    if (lanes == W) return v.store_unaligned(p + j * step);
    v.store_aligned(buffer);
    std::copy(buffer, buffer + lanes, p + j * step);
  }
};
#endif

// ---- float distributions evaluated in double (x86) ----
// On x86 the accurate policy evaluates float distributions in double, where float's care is not
// needed: x − M is exact, e^(x − M) within 2^−36 of its value (relative), and the sum of n terms
// within (n/k)·2^−53, where the contiguous walk keeps k = 2·W_double plain partial sums (4 with
// SSE2, 8 with AVX2) and the lane-group and scalar walks one compensated (Kahan) sum each, k = n.
// Each output is then a double within 2^−35 + (n/k)·2^−53 of the exact value, rounded once to
// float: 0.5 ULP, unless the exact value lies within 2^−11 + (n/k)·2^−29 ULP of a midpoint between
// floats (at most 1.5 ULP for any n ≤ 2^31). Subnormal outputs are normal doubles before that one
// rounding. Three passes (the maximum in float, the sum, the outputs): one exponential per element
// for log-softmax, two for softmax, each about a third of the float path's double-word one
// (1.4–1.8x faster, AVX2). The walks sum in their own orders (the scalar and lane walks alike,
// element by element), so their outputs differ only where a sum's last bits move one across a
// rounding boundary. (float_in_double and exp_for_float, clamped at −120 here, where e^d times anything
// up to 1 rounds to 0 in float, are in in_double.hpp.)

// The term of d = x − M in the sum: e^d; for log-softmax 0 where d = 0 (x = M), counted in
// `at_max` instead, so that log Σ = log1p((count − 1) + rest) keeps its relative accuracy.
template <bool Log, class V>
inline V widened_term(const V& d, V& at_max) noexcept {
  if constexpr (Log) {
    const auto top = d == V(0.0);
    at_max = at_max + detail::select(top, V(1.0), V(0.0));
    return detail::select(top, V(0.0), detail::exp_for_float(d));
  } else {
    return detail::exp_for_float(d);
  }
}
// What the outputs need of the sum: softmax 1/Σ, log-softmax log Σ.
template <bool Log>
inline double widened_scale(double sum, double at_max) noexcept {
  return Log ? std::log1p((at_max - 1) + sum) : 1 / sum;
}
// One output: e^d·(1/Σ), or d − log Σ. NaN reaches every output through the sum; an all −∞
// distribution gives −∞ − (−∞) = NaN everywhere.
template <bool Log, class V>
inline V widened_output(const V& d, const V& scale) noexcept {
  if constexpr (Log) {
    return d - scale;
  } else {
    return detail::exp_for_float(d) * scale;
  }
}

// The scalar walk (any strides). +∞ entries take the special path.
template <bool Log>
void softmax_scalar_widened(const float* x, Index x_stride, float* y, Index y_stride, Index n) {
  float M = -std::numeric_limits<float>::infinity();
  for (Index i = 0; i < n; ++i) M = x[i * x_stride] > M ? x[i * x_stride] : M;  // NaN skipped
  if (M == std::numeric_limits<float>::infinity()) return softmax_special<Log>(x, x_stride, y, y_stride, n);
  double sum = 0, c = 0, at_max = 0;
  for (Index i = 0; i < n; ++i)
    detail::kahan_add(sum, c, widened_term<Log>(static_cast<double>(x[i * x_stride]) - M, at_max));
  const double scale = widened_scale<Log>(detail::kahan_total(sum, c), at_max);
  for (Index i = 0; i < n; ++i) {
    y[i * y_stride] = static_cast<float>(widened_output<Log>(static_cast<double>(x[i * x_stride]) - M, scale));
  }
}

template <bool Log, bool Fast, class T>
void softmax_scalar(const T* x, Index x_stride, T* y, Index y_stride, Index n) {
  if constexpr (float_in_double && !Fast && std::is_same<T, float>::value) {
    return softmax_scalar_widened<Log>(x, x_stride, y, y_stride, n);
  }
  online_state<T, Fast> state;
  for (Index i = 0; i < n; ++i) state.add(x[i * x_stride]);
  if (state.m == std::numeric_limits<T>::infinity()) return softmax_special<Log>(x, x_stride, y, y_stride, n);
  const normalizer<T> norm = norm_of<Log, Fast>(state.others());
  for (Index i = 0; i < n; ++i) y[i * y_stride] = detail::normalized<Log, Fast>(x[i * x_stride], state.m, norm);
}

#if ACTIV_HAS_SIMD
// Four independent Kahan sums (chains), so that consecutive additions do not wait for one another
// (a Kahan step is four dependent operations: one chain leaves a loop latency-bound at a quarter of
// the throughput), and a plain sum beside them (sum_pair). They are named members, not an array:
// GCC 12 kept an array of them in memory, a store and a reload on every step's dependency chain.
template <class V>
struct kahan_chains {
  using T = scalar_t<V>;
  V sum0 = V(T(0)), sum1 = V(T(0)), sum2 = V(T(0)), sum3 = V(T(0));
  V c0 = V(T(0)), c1 = V(T(0)), c2 = V(T(0)), c3 = V(T(0));
  V plain = V(T(0));

  void add(const V& a, const V& b, const V& c, const V& d) noexcept {
    detail::kahan_add(sum0, c0, a);
    detail::kahan_add(sum1, c1, b);
    detail::kahan_add(sum2, c2, c);
    detail::kahan_add(sum3, c3, d);
    plain = plain + ((a + b) + (c + d));
  }
  void add(const V& a) noexcept {
    detail::kahan_add(sum0, c0, a);
    plain = plain + a;
  }
  // Σ over the chains, sum − compensation each: error-free but for the plain sum of the low parts.
  dw<V> value() const noexcept {
    const dw<V> v01 = detail::plus(dw<V>{sum0, -c0}, dw<V>{sum1, -c1});
    return detail::plus(detail::plus(v01, dw<V>{sum2, -c2}), dw<V>{sum3, -c3});
  }
  sum_pair<V> total() const noexcept { return {value(), plain}; }
};

// One Kahan sum (sum − c), the fast walks' sum of their terms.
template <class V>
struct kahan_sum {
  V sum = V(scalar_t<V>(0));
  V c = V(scalar_t<V>(0));
  dw<V> value() const noexcept { return {sum, -c}; }
};

// The maximum of each distribution of a lane group (NaN skipped) into `tops`, aligned; whether any
// is +∞ (such a distribution takes the special path).
template <class T>
bool lane_maxima(lane_group<T>& group, const T* x, Index x_step, Index n, T* tops) {
  using B = default_batch<T>;
  constexpr T inf = std::numeric_limits<T>::infinity();
  B m(-inf);
  for (Index j = 0; j < n; ++j) m = xsimd::max(m, group.load(x, x_step, j));
  m.store_aligned(tops);
  return std::find(tops, tops + group.lanes, inf) != tops + group.lanes;
}

// The maximum of a contiguous distribution (NaN skipped: it reaches the outputs through the sum), in
// four running maxima: one waited a max's latency on the last for every batch.
template <class T>
T contiguous_maximum(const T* x, Index n) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  constexpr T inf = std::numeric_limits<T>::infinity();
  alignas(B::arch_type::alignment()) T buffer[W];
  B top0(-inf), top1(-inf), top2(-inf), top3(-inf);
  Index i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    top0 = xsimd::max(top0, B::load_unaligned(x + i));
    top1 = xsimd::max(top1, B::load_unaligned(x + i + W));
    top2 = xsimd::max(top2, B::load_unaligned(x + i + 2 * W));
    top3 = xsimd::max(top3, B::load_unaligned(x + i + 3 * W));
  }
  for (; i + W <= n; i += W) top0 = xsimd::max(top0, B::load_unaligned(x + i));
  xsimd::max(xsimd::max(top0, top1), xsimd::max(top2, top3)).store_aligned(buffer);
  T M = -inf;
  for (Index l = 0; l < W; ++l) M = buffer[l] > M ? buffer[l] : M;
  for (Index j = i; j < n; ++j) M = x[j] > M ? x[j] : M;
  return M;
}

// start + the lanes' compensated sums, combined error-free (the lane holding the maximum's 1 would
// otherwise take a rounding of its size from every other lane's addition).
template <class B, class T = typename B::value_type>
dw<T> merge_lane_sums(T start, const dw<B>& lanes) {
  constexpr Index W = static_cast<Index>(B::size);
  alignas(B::arch_type::alignment()) T hi[W], lo[W];
  lanes.hi.store_aligned(hi);
  lanes.lo.store_aligned(lo);
  dw<T> total{start, T(0)};
  for (Index l = 0; l < W; ++l) total = detail::plus(total, dw<T>{hi[l], lo[l]});
  return total;
}

// y = e^(x − M)·2^K for the first n − n % W elements of a distribution, their sum (Kahan) added to
// `total`: the fast softmax's hot loop, in a function of its own (ACTIV_LOOP: with the tail's buffer and copies
// in the same function, GCC 12 kept three of the exponential's intermediates on the stack, dead
// stores in every batch). One Kahan chain, a step per two batches (their terms added first): a
// step is four dependent additions, 12 cycles on Zen 3, which with a step per batch bounded the
// loop once scaled_term had cut the rest to about 26 operations per batch (AVX2: scaled_term
// measured 0.98–1.04x with a step per batch, 1.12–1.16x with the pair; four chains measured 0.95x,
// their registers spilled). The sum is built in locals: in the returned object itself, every batch
// stored it, as a y store might have changed it.
template <class B, class T>
ACTIV_LOOP kahan_sum<B> write_terms(const T* x, T* y, Index n, T M, kahan_sum<B> total) {
  constexpr Index W = static_cast<Index>(B::size);
  const B neg_m(-M);
  B sum = total.sum, c = total.c;
  Index i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    const B e0 = fast::scaled_term(B::load_unaligned(x + i), neg_m);
    const B e1 = fast::scaled_term(B::load_unaligned(x + i + W), neg_m);
    e0.store_unaligned(y + i);
    e1.store_unaligned(y + i + W);
    detail::kahan_add(sum, c, e0 + e1);
  }
  for (; i + W <= n; i += W) {
    const B e = fast::scaled_term(B::load_unaligned(x + i), neg_m);
    e.store_unaligned(y + i);
    detail::kahan_add(sum, c, e);
  }
  total.sum = sum;
  total.c = c;
  return total;
}

// Softmax of one contiguous distribution under the fast policy, in three passes: the maximum M
// (one instruction per batch), then each term e^(x − M) written to y and summed (Kahan), then y
// scaled by the sum's reciprocal. Each element costs one exponential instead of the online
// algorithm's two; the extra pass re-reads y, which is still in cache for distributions up to the
// cache's size. NaN reaches every output through the sum; an all −∞ distribution gives
// e^(−∞ − (−∞)) = NaN everywhere, as specified; +∞ entries take the special path.
template <class T>
ACTIV_FLATTEN void softmax_contiguous_fast(const T* x, T* y, Index n) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  constexpr T inf = std::numeric_limits<T>::infinity();
  const T M = detail::contiguous_maximum(x, n);
  if (M == inf) return softmax_special<false>(x, 1, y, 1, n);
  kahan_sum<B> terms = detail::write_terms<B>(x, y, n, M, kahan_sum<B>{});
  Index i = n - n % W;
  if (i < n) {  // padded with −∞, whose term is e^−∞ = 0
    alignas(B::arch_type::alignment()) T buffer[W];
    std::fill(buffer, buffer + W, -inf);
    std::copy(x + i, x + n, buffer);
    terms = detail::write_terms<B>(buffer, buffer, W, M, terms);  // one batch, in place
    std::copy(buffer, buffer + (n - i), y + i);
  }
  const dw<T> sum = detail::merge_lane_sums(T(0), terms.value());
  const T r = T(1) / (sum.hi + sum.lo);
  const B rv(r);
  for (i = 0; i + W <= n; i += W) (B::load_unaligned(y + i) * rv).store_unaligned(y + i);
  for (; i < n; ++i) y[i] *= r;
}

// How many steps the fast log-softmax counts per lane before it moves the counts on: a step (a row
// of the lanes walk, four batches of the contiguous one) adds at most 4 to a lane's count, which a
// float holds exactly below 2^24.
constexpr Index count_flush = Index(1) << 20;

// The fast log-softmax's running sums: the other terms' (times 2^K) and, per lane, how many
// elements equal the maximum.
template <class B>
struct other_terms {
  kahan_sum<B> terms;
  B ones = B(scalar_t<B>(0));
};

// Adds the first n − n % W elements of a distribution (at most 4·W·count_flush) to `sums`: its hot
// loop, in a function of its own as write_terms. One Kahan step per four batches, their terms added
// first (two plain roundings per term before the compensated step; four chains, one per batch,
// measured 0.92x: they spilled AVX2's sixteen registers).
template <class B, class T>
ACTIV_LOOP other_terms<B> add_other_terms(const T* x, Index n, T M, other_terms<B> sums) {
  constexpr Index W = static_cast<Index>(B::size);
  const B Mv(M), zero(T(0)), one(T(1));
  const B neg_m = -Mv;
  auto at_max = [&](const B& v) { return detail::select(v == Mv, one, zero); };
  auto term = [&](const B& v) { return detail::select(v == Mv, zero, fast::scaled_term(v, neg_m)); };
  B sum = sums.terms.sum, c = sums.terms.c, ones = sums.ones;
  Index i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    const B v0 = B::load_unaligned(x + i), v1 = B::load_unaligned(x + i + W);
    const B v2 = B::load_unaligned(x + i + 2 * W), v3 = B::load_unaligned(x + i + 3 * W);
    ones = ones + ((at_max(v0) + at_max(v1)) + (at_max(v2) + at_max(v3)));
    detail::kahan_add(sum, c, (term(v0) + term(v1)) + (term(v2) + term(v3)));
  }
  for (; i + W <= n; i += W) {
    const B v = B::load_unaligned(x + i);
    ones = ones + at_max(v);
    detail::kahan_add(sum, c, term(v));
  }
  sums.terms.sum = sum;
  sums.terms.c = c;
  sums.ones = ones;
  return sums;
}

// Log-softmax of one contiguous distribution under the fast policy, in three passes: the maximum
// M; the sum of the other terms, rest = Σ e^(x − M) over all but one element equal to M (the
// elements equal to M counted exactly: log Σ = log1p((count − 1) + rest) keeps its relative
// accuracy when one class dominates); then y = (x − M) − log Σ, which cannot cancel (both terms
// are ≤ 0). One exponential per element, none in the writing pass. NaN reaches every output through
// log Σ; an all −∞ distribution gives −∞ − (−∞) = NaN everywhere; +∞ entries take the special path.
template <class T>
ACTIV_FLATTEN void log_softmax_contiguous_fast(const T* x, T* y, Index n) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  constexpr T inf = std::numeric_limits<T>::infinity();
  const T M = detail::contiguous_maximum(x, n);
  if (M == inf) return softmax_special<true>(x, 1, y, 1, n);
  other_terms<B> sums;
  alignas(B::arch_type::alignment()) T counts[W];
  double count = 0;  // the elements equal to M; each lane's count is moved here before it
  auto flush = [&] {  // could reach 2^24, where a float stops counting
    sums.ones.store_aligned(counts);
    for (Index l = 0; l < W; ++l) count += static_cast<double>(counts[l]);
    sums.ones = B(T(0));
  };
  const Index full = n - n % W;
  for (Index start = 0; start < full; start += 4 * W * count_flush) {
    sums = detail::add_other_terms<B>(x + start, std::min(4 * W * count_flush, full - start), M, sums);
    flush();
  }
  if (full < n) {  // padded with −∞, whose term is e^−∞ = 0
    alignas(B::arch_type::alignment()) T buffer[W];
    std::fill(buffer, buffer + W, -inf);
    std::copy(x + full, x + n, buffer);
    sums = detail::add_other_terms<B>(buffer, W, M, sums);  // one batch: the loop's own step
    flush();
  }
  const dw<T> others = detail::plus(dw<T>{static_cast<T>(count - 1), T(0)},
                                    fast::unscaled(detail::merge_lane_sums(T(0), sums.terms.value())));
  const dw<T> log_sum = detail::log1p_dw(others.hi, others.lo);
  const T L = log_sum.hi + log_sum.lo;
  const B Mv(M), Lv(L);
  Index i = 0;
  for (; i + W <= n; i += W) ((B::load_unaligned(x + i) - Mv) - Lv).store_unaligned(y + i);
  for (; i < n; ++i) y[i] = (x[i] - M) - L;
}

#if XSIMD_WITH_SSE2
// W consecutive floats as a batch of W doubles, and back.
template <class D = default_batch<double>>
inline D widen(const float* p) noexcept {
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(D) == 64) return D(_mm512_cvtps_pd(_mm256_loadu_ps(p)));
#endif
#if XSIMD_WITH_AVX
  if constexpr (sizeof(D) == 32) return D(_mm256_cvtps_pd(_mm_loadu_ps(p)));
#endif
  if constexpr (sizeof(D) == 16) {
    double pair;
    std::memcpy(&pair, p, sizeof pair);
    return D(_mm_cvtps_pd(_mm_castpd_ps(_mm_set_sd(pair))));
  }
}
template <class D>
inline void narrow_store(const D& v, float* p) noexcept {
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(D) == 64) return _mm256_storeu_ps(p, _mm512_cvtpd_ps(v));
#endif
#if XSIMD_WITH_AVX
  if constexpr (sizeof(D) == 32) return _mm_storeu_ps(p, _mm256_cvtpd_ps(v));
#endif
  if constexpr (sizeof(D) == 16) {
    const double pair = _mm_cvtsd_f64(_mm_castps_pd(_mm_cvtpd_ps(v)));
    std::memcpy(p, &pair, sizeof pair);
  }
}

// Σ e^(x − M) over a contiguous distribution (log-softmax: over the elements ≠ M, counted in
// `at_max`), in two chains of W_double lanes.
template <bool Log>
ACTIV_LOOP double widened_sum(const float* x, Index n, double M, double& at_max) {
  using D = default_batch<double>;
  constexpr Index W = static_cast<Index>(D::size);
  const D Mv(M);
  D s0(0.0), s1(0.0), c0(0.0), c1(0.0);
  Index i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    s0 = s0 + widened_term<Log>(widen(x + i) - Mv, c0);
    s1 = s1 + widened_term<Log>(widen(x + i + W) - Mv, c1);
  }
  double sum = 0, count = 0;
  for (; i < n; ++i) sum += widened_term<Log>(static_cast<double>(x[i]) - M, count);
  at_max = count + xsimd::hadd(c0 + c1);
  return sum + xsimd::hadd(s0 + s1);
}

template <bool Log>
ACTIV_LOOP void widened_write(const float* x, float* y, Index n, double M, double scale) {
  using D = default_batch<double>;
  constexpr Index W = static_cast<Index>(D::size);
  const D Mv(M), s(scale);
  Index i = 0;
  for (; i + W <= n; i += W) narrow_store(widened_output<Log>(widen(x + i) - Mv, s), y + i);
  for (; i < n; ++i) y[i] = static_cast<float>(widened_output<Log>(static_cast<double>(x[i]) - M, scale));
}

// One contiguous distribution. +∞ entries take the special path.
template <bool Log>
void softmax_widened(const float* x, float* y, Index n) {
  const float M = detail::contiguous_maximum(x, n);
  if (M == std::numeric_limits<float>::infinity()) return softmax_special<Log>(x, 1, y, 1, n);
  double at_max = 0;
  const double sum = detail::widened_sum<Log>(x, n, M, at_max);
  detail::widened_write<Log>(x, y, n, M, widened_scale<Log>(sum, at_max));
}

// `lanes` ≤ W adjacent distributions, one per float lane, each lane's half of the float batch as a
// batch of doubles. Each lane sums its distribution element by element, as the scalar walk does.
template <bool Log>
ACTIV_FLATTEN void softmax_lanes_widened(const float* x, Index x_step, float* y, Index y_step, Index n, Index lanes) {
  using B = default_batch<float>;
  using D = default_batch<double>;
  constexpr Index W = static_cast<Index>(B::size), H = static_cast<Index>(D::size);
  lane_group<float> group{lanes};
  alignas(B::arch_type::alignment()) float tops[W];
  if (detail::lane_maxima(group, x, x_step, n, tops)) {
    for (Index k = 0; k < lanes; ++k) softmax_scalar_widened<Log>(x + k, x_step, y + k, y_step, n);
    return;
  }
  const D m0 = widen<D>(tops), m1 = widen<D>(tops + H);
  alignas(B::arch_type::alignment()) float buffer[W];
  auto element = [&](Index j) -> const float* {  // element j of every lane, W floats in a row
    if (lanes == W) return x + j * x_step;
    group.load(x, x_step, j).store_aligned(buffer);
    return buffer;
  };
  D s0(0.0), s1(0.0), k0(0.0), k1(0.0), c0(0.0), c1(0.0);
  for (Index j = 0; j < n; ++j) {
    const float* v = element(j);
    detail::kahan_add(s0, k0, widened_term<Log>(widen<D>(v) - m0, c0));
    detail::kahan_add(s1, k1, widened_term<Log>(widen<D>(v + H) - m1, c1));
  }
  alignas(D::arch_type::alignment()) double sums[W], counts[W], scales[W];
  detail::kahan_total(s0, k0).store_aligned(sums);
  detail::kahan_total(s1, k1).store_aligned(sums + H);
  c0.store_aligned(counts);
  c1.store_aligned(counts + H);
  for (Index k = 0; k < W; ++k) scales[k] = widened_scale<Log>(sums[k], counts[k]);
  const D scale0 = D::load_aligned(scales), scale1 = D::load_aligned(scales + H);
  for (Index j = 0; j < n; ++j) {
    const float* v = element(j);
    float* out = lanes == W ? y + j * y_step : buffer;
    narrow_store(widened_output<Log>(widen<D>(v) - m0, scale0), out);
    narrow_store(widened_output<Log>(widen<D>(v + H) - m1, scale1), out + H);
    if (lanes < W) group.store(B::load_aligned(buffer), y, y_step, j);
  }
}
#endif

// One contiguous distribution, lanes along it.
template <bool Log, bool Fast, class T>
ACTIV_FLATTEN void softmax_contiguous(const T* x, T* y, Index n) {
#if XSIMD_WITH_SSE2
  if constexpr (!Fast && std::is_same<T, float>::value) return softmax_widened<Log>(x, y, n);
#endif
  if constexpr (Fast && !Log) {
    return softmax_contiguous_fast(x, y, n);
  } else if constexpr (Fast) {
    return log_softmax_contiguous_fast(x, y, n);
  }
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  alignas(B::arch_type::alignment()) T buffer[W];
  online_state<B, Fast> state;
  Index i = 0;
  for (; i + W <= n; i += W) state.add(B::load_unaligned(x + i));
  if (i < n) {  // padded with −∞, which adds e^−∞ = 0
    std::fill(buffer, buffer + W, -std::numeric_limits<T>::infinity());
    std::copy(x + i, x + n, buffer);
    state.add(B::load_aligned(buffer));
  }
  // Combine the lanes: M = max m_l; the others of the lane holding M, plus every other lane's
  // terms (its maximum included) rescaled by e^(m_l − M).
  alignas(B::arch_type::alignment()) T m[W], rest_hi[W], rest_lo[W];
  state.m.store_aligned(m);
  const dw<B> lanes = state.others();
  lanes.hi.store_aligned(rest_hi);
  lanes.lo.store_aligned(rest_lo);
  const Index top = std::max_element(m, m + W) - m;
  const T M = m[top];
  if (M == std::numeric_limits<T>::infinity()) return softmax_special<Log>(x, 1, y, 1, n);
  dw<T> others{rest_hi[top], rest_lo[top]};
  for (Index l = 0; l < W; ++l) {
    if (l == top) continue;
    const dw<T> term = detail::mul_dw(detail::with_one(dw<T>{rest_hi[l], rest_lo[l]}), detail::exp_shifted(m[l], M));
    others = detail::plus(others, term);
  }
  const B Mv(M);
  const normalizer<T> scalar_norm = norm_of<Log, Fast>(others);
  const normalizer<B> norm{{B(scalar_norm.value.hi), B(scalar_norm.value.lo)}, B(scalar_norm.reciprocal)};
  for (i = 0; i + W <= n; i += W)
    detail::normalized<Log, Fast>(B::load_unaligned(x + i), Mv, norm).store_unaligned(y + i);
  if (i < n) {
    std::fill(buffer, buffer + W, T(0));
    std::copy(x + i, x + n, buffer);
    detail::normalized<Log, Fast>(B::load_aligned(buffer), Mv, norm).store_aligned(buffer);
    std::copy(buffer, buffer + (n - i), y + i);
  }
}

// The fast policy's softmax of `lanes` adjacent distributions in the three passes of
// softmax_contiguous_fast, one distribution per lane.
template <class T>
ACTIV_FLATTEN void softmax_lanes_fast(const T* x, Index x_step, T* y, Index y_step, Index n, Index lanes) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  lane_group<T> group{lanes};
  alignas(B::arch_type::alignment()) T tops[W];
  if (detail::lane_maxima(group, x, x_step, n, tops)) {
    for (Index k = 0; k < lanes; ++k) softmax_scalar<false, true>(x + k, x_step, y + k, y_step, n);
    return;
  }
  const B neg_m = -B::load_aligned(tops);
  B rest(T(0)), c(T(0));
  Index j = 0;
  for (; j + 2 <= n; j += 2) {
    const B e0 = fast::scaled_term(group.load(x, x_step, j), neg_m);
    const B e1 = fast::scaled_term(group.load(x, x_step, j + 1), neg_m);
    group.store(e0, y, y_step, j);
    group.store(e1, y, y_step, j + 1);
    detail::kahan_add(rest, c, e0 + e1);
  }
  if (j < n) {
    const B e = fast::scaled_term(group.load(x, x_step, j), neg_m);
    group.store(e, y, y_step, j);
    detail::kahan_add(rest, c, e);
  }
  const B r = B(T(1)) / detail::kahan_total(rest, c);
  for (Index j = 0; j < n; ++j) group.store(group.load(y, y_step, j) * r, y, y_step, j);
}

// The fast policy's log-softmax of `lanes` adjacent distributions in the three passes of
// log_softmax_contiguous_fast, one distribution per lane.
template <class T>
ACTIV_FLATTEN void log_softmax_lanes_fast(const T* x, Index x_step, T* y, Index y_step, Index n, Index lanes) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  lane_group<T> group{lanes};
  alignas(B::arch_type::alignment()) T tops[W];
  if (detail::lane_maxima(group, x, x_step, n, tops)) {
    for (Index k = 0; k < lanes; ++k) softmax_scalar<true, true>(x + k, x_step, y + k, y_step, n);
    return;
  }
  const B m = B::load_aligned(tops);
  const B neg_m = -m;
  const B zero(T(0)), one(T(1));
  auto at_max = [&](const B& v) { return detail::select(v == m, one, zero); };
  auto term = [&](const B& v) { return detail::select(v == m, zero, fast::scaled_term(v, neg_m)); };
  B rest(T(0)), c(T(0)), count(T(0));
  for (Index start = 0; start < n; start += count_flush) {  // before a float count reaches 2^24
    const Index end = std::min(n, start + count_flush);
    B ones(T(0));
    Index j = start;
    for (; j + 2 <= end; j += 2) {  // two terms per Kahan step, whose chain is then half the loop's length
      const B v0 = group.load(x, x_step, j), v1 = group.load(x, x_step, j + 1);
      ones = ones + (at_max(v0) + at_max(v1));
      detail::kahan_add(rest, c, term(v0) + term(v1));
    }
    if (j < end) {
      const B v = group.load(x, x_step, j);
      ones = ones + at_max(v);
      detail::kahan_add(rest, c, term(v));
    }
    count = count + ones;  // exact while count < 2^24; beyond, others ≥ 2^24 needs no more
  }
  const dw<B> others = fast::unscaled(dw<B>{rest, -c});
  const dw<B> s = detail::two_sum(count - one, others.hi);
  const dw<B> log_sum = detail::log1p_dw(s.hi, s.lo + others.lo);
  const B L = log_sum.hi + log_sum.lo;
  for (Index j = 0; j < n; ++j) group.store((group.load(x, x_step, j) - m) - L, y, y_step, j);
}

// `lanes` ≤ W adjacent distributions: distribution k starts at x + k, its element j is at
// x + k + j·x_step. Each lane carries one distribution through both passes.
template <bool Log, bool Fast, class T>
ACTIV_FLATTEN void softmax_lanes(const T* x, Index x_step, T* y, Index y_step, Index n, Index lanes) {
#if XSIMD_WITH_SSE2
  if constexpr (!Fast && std::is_same<T, float>::value)
    return softmax_lanes_widened<Log>(x, x_step, y, y_step, n, lanes);
#endif
  if constexpr (Fast && !Log) {
    return softmax_lanes_fast(x, x_step, y, y_step, n, lanes);
  } else if constexpr (Fast) {
    return log_softmax_lanes_fast(x, x_step, y, y_step, n, lanes);
  }
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  lane_group<T> group{lanes};
  online_state<B, Fast> state;
  for (Index j = 0; j < n; ++j) state.add(group.load(x, x_step, j));
  alignas(B::arch_type::alignment()) T m[W];
  state.m.store_aligned(m);
  if (std::find(m, m + lanes, std::numeric_limits<T>::infinity()) != m + lanes) {
    // A distribution with +∞ entries among these (rare): each through the scalar path.
    for (Index k = 0; k < lanes; ++k) softmax_scalar<Log, Fast>(x + k, x_step, y + k, y_step, n);
    return;
  }
  const normalizer<B> norm = norm_of<Log, Fast>(state.others());
  for (Index j = 0; j < n; ++j)
    group.store(detail::normalized<Log, Fast>(group.load(x, x_step, j), state.m, norm), y, y_step, j);
}
#endif

// ---- backward ----------------------------------------------------------------------------
// softmax:     dx = y ⊙ (dy − ⟨dy, y⟩)
// log-softmax: dx = dy − e^y ⊙ Σ dy
// The reduction is Kahan-compensated, so dx is accurate relative to |y|·(|dy| + Σ|dy·y|) even when
// ⟨dy, y⟩ nearly cancels dy. For log-softmax, e^y·S is formed as 2^(n+k)·((e^r)·m), with
// e^y = e^r·2^n and S = m·2^k: e^y alone underflows for y < −103 (float) while e^y·S may still be
// large (found by tests/fuzz/fuzz_softmax: y = −747.5 with S ≈ 10^305 gave dx = dy).
template <bool Log, class V>
inline V reduction_term(const V& y, const V& dy) noexcept {
  if constexpr (Log) {
    (void)y;
    return dy;
  } else {
    return dy * y;
  }
}

// The reduced value of one distribution as the backward pass uses it: softmax ⟨dy, y⟩ itself,
// log-softmax S = Σ dy as m·2^k (m ∈ [0.5, 1) for a finite S ≠ 0; m = S, k = 0 otherwise), and the
// factor of e^y's low part, m but 0 for S = ±∞: e^y·S is ±∞ there, which 0·∞ would make NaN.
template <class V>
struct reduced_value {
  V m;
  V k;
  V m_low;
};
template <bool Log, class T>
inline reduced_value<T> reduced_of(T sum) noexcept {
  if constexpr (!Log) {
    return {sum, T(0), T(0)};
  } else {
    if (std::isinf(sum)) return {sum, T(0), T(0)};
    if (std::isnan(sum) || sum == T(0)) return {sum, T(0), sum};
    int k = 0;
    const T m = std::frexp(sum, &k);
    return {m, static_cast<T>(k), m};
  }
}
#if ACTIV_HAS_SIMD
template <bool Log, class T, class A>
inline reduced_value<xsimd::batch<T, A>> reduced_of(const xsimd::batch<T, A>& sum) noexcept {
  using B = xsimd::batch<T, A>;
  if constexpr (!Log) return {sum, B(T(0)), B(T(0))};
  alignas(A::alignment()) T lanes[B::size], m[B::size], k[B::size], m_low[B::size];
  sum.store_aligned(lanes);
  for (std::size_t l = 0; l < B::size; ++l) {
    const reduced_value<T> r = reduced_of<Log>(lanes[l]);
    m[l] = r.m;
    k[l] = r.k;
    m_low[l] = r.m_low;
  }
  return {B::load_aligned(m), B::load_aligned(k), B::load_aligned(m_low)};
}
#endif

// Log-softmax under the fast policy: e^y = p·2^n with p rounded about once (fast_math.hpp), no low
// part, so e^y·S = (p·m)·2^(n+k) with two roundings.
template <bool Log, bool Fast = false, class V>
inline V backward_value(const V& y, const V& dy, const reduced_value<V>& reduced) noexcept {
  if constexpr (Log && Fast) {
    using T = scalar_t<V>;
    const fast::exp_pair<V> e = fast::exp_nonpositive_parts(detail::at_most(y, V(exp_constants<T>::highest)));
    const V q = detail::select(y == V(-std::numeric_limits<T>::infinity()), V(T(0)) * reduced.m, e.p * reduced.m);
    return dy - detail::ldexp<2>(q, e.n + reduced.k);
  } else if constexpr (Log) {
    using T = scalar_t<V>;
    const exp_parts<V> e = detail::exp_reduce(detail::clamp_exp_argument(y));
    // e^y·S = (hi + lo)·m·2^(n+k), the product rounded once; e^−∞ = 0 exactly (0·∞ = NaN, as the
    // formula gives, where S is infinite).
    const V q = detail::select(y == V(-std::numeric_limits<T>::infinity()), V(T(0)) * reduced.m,
                               detail::mul_add(e.hi, reduced.m, e.lo * reduced.m_low));
    return dy - detail::ldexp<2>(q, e.n + reduced.k);
  } else {
    return y * (dy - reduced.m);
  }
}

template <bool Log, bool Fast, class T>
void softmax_backward_scalar(const T* y, Index ys, const T* dy, Index dys, T* dx, Index dxs, Index n) {
  T sum = 0, compensation = 0, plain = 0;
  for (Index i = 0; i < n; ++i) {
    const T term = reduction_term<Log>(y[i * ys], dy[i * dys]);
    detail::kahan_add(sum, compensation, term);
    plain += term;
  }
  const reduced_value<T> reduced = reduced_of<Log>(sum_pair<T>{{sum, -compensation}, plain}.rounded());
  for (Index i = 0; i < n; ++i) dx[i * dxs] = backward_value<Log, Fast>(y[i * ys], dy[i * dys], reduced);
}

#if ACTIV_HAS_SIMD
template <bool Log, bool Fast, class T>
ACTIV_FLATTEN void softmax_backward_contiguous(const T* y, const T* dy, T* dx, Index n) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  alignas(B::arch_type::alignment()) T yb[W] = {}, db[W] = {};
  kahan_chains<B> chains;
  Index i = 0;
  auto term = [&](Index at) { return reduction_term<Log>(B::load_unaligned(y + at), B::load_unaligned(dy + at)); };
  for (; i + 4 * W <= n; i += 4 * W) chains.add(term(i), term(i + W), term(i + 2 * W), term(i + 3 * W));
  for (; i + W <= n; i += W) chains.add(term(i));
  const Index tail = n - i;
  if (tail > 0) {  // zero padding adds 0
    std::copy(y + i, y + n, yb);
    std::copy(dy + i, dy + n, db);
    chains.add(reduction_term<Log>(B::load_aligned(yb), B::load_aligned(db)));
  }
  // The lanes, combined as scalars in the same way.
  const sum_pair<B> lanes = chains.total();
  alignas(B::arch_type::alignment()) T hi[W], lo[W], plain[W];
  lanes.value.hi.store_aligned(hi);
  lanes.value.lo.store_aligned(lo);
  lanes.plain.store_aligned(plain);
  sum_pair<T> total{{hi[0], lo[0]}, plain[0]};
  for (Index l = 1; l < W; ++l) total = total + sum_pair<T>{{hi[l], lo[l]}, plain[l]};
  const reduced_value<T> scalar_reduced = reduced_of<Log>(total.rounded());
  const reduced_value<B> reduced{B(scalar_reduced.m), B(scalar_reduced.k), B(scalar_reduced.m_low)};
  for (i = 0; i + W <= n; i += W) {
    backward_value<Log, Fast>(B::load_unaligned(y + i), B::load_unaligned(dy + i), reduced).store_unaligned(dx + i);
  }
  if (tail > 0) {
    backward_value<Log, Fast>(B::load_aligned(yb), B::load_aligned(db), reduced).store_aligned(yb);
    std::copy(yb, yb + tail, dx + i);
  }
}

// One lane's compensated sum and plain sum (sum_pair), for walks that give each distribution its
// own chain.
template <class V>
struct kahan_lane {
  using T = scalar_t<V>;
  V sum = V(T(0)), c = V(T(0)), plain = V(T(0));
  void add(const V& a) noexcept {
    detail::kahan_add(sum, c, a);
    plain = plain + a;
  }
  sum_pair<V> total() const noexcept { return {{sum, -c}, plain}; }
};

// 4·W adjacent distributions (four full lane groups) at once, element j of distribution k at
// p + j·step + k: each row of the walk reads 4·W consecutive elements of every operand rather than
// W, and the four groups' Kahan sums are the independent chains that the one-group walk splits its
// distribution into. For column-wise softmax on row-major data (backward of 1024×256 float: 1.4×
// faster than the one-group walk alone).
template <bool Log, bool Fast, class T>
ACTIV_FLATTEN void softmax_backward_lanes4(const T* y, Index ys, const T* dy, Index dys, T* dx, Index dxs, Index n) {
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  kahan_lane<B> s0, s1, s2, s3;
  auto term = [&](Index j, Index g) {
    return reduction_term<Log>(B::load_unaligned(y + j * ys + g * W), B::load_unaligned(dy + j * dys + g * W));
  };
  for (Index j = 0; j < n; ++j) {
    s0.add(term(j, 0));
    s1.add(term(j, 1));
    s2.add(term(j, 2));
    s3.add(term(j, 3));
  }
  const reduced_value<B> r0 = reduced_of<Log>(s0.total().rounded()), r1 = reduced_of<Log>(s1.total().rounded()),
                         r2 = reduced_of<Log>(s2.total().rounded()), r3 = reduced_of<Log>(s3.total().rounded());
  auto out = [&](Index j, Index g, const reduced_value<B>& r) {
    backward_value<Log, Fast>(B::load_unaligned(y + j * ys + g * W), B::load_unaligned(dy + j * dys + g * W), r)
        .store_unaligned(dx + j * dxs + g * W);
  };
  for (Index j = 0; j < n; ++j) {
    out(j, 0, r0);
    out(j, 1, r1);
    out(j, 2, r2);
    out(j, 3, r3);
  }
}

template <bool Log, bool Fast, class T>
ACTIV_FLATTEN void softmax_backward_lanes(const T* y, Index ys, const T* dy, Index dys, T* dx, Index dxs, Index n,
                                          Index lanes) {
  using B = default_batch<T>;
  lane_group<T> group{lanes};
  kahan_chains<B> chains;
  auto term = [&](Index j) { return reduction_term<Log>(group.load(y, ys, j), group.load(dy, dys, j)); };
  Index j = 0;
  for (; j + 4 <= n; j += 4) chains.add(term(j), term(j + 1), term(j + 2), term(j + 3));
  for (; j < n; ++j) chains.add(term(j));
  const reduced_value<B> reduced = reduced_of<Log>(chains.total().rounded());
  for (j = 0; j < n; ++j) {
    group.store(backward_value<Log, Fast>(group.load(y, ys, j), group.load(dy, dys, j), reduced), dx, dxs, j);
  }
}
#endif

}  // namespace detail
}  // namespace activ
