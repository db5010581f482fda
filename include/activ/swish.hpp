// activ/swish.hpp — f(x) = x·σ(βx) (β = 1: SiLU), f′(x) = σ(βx)·(1 + βx·σ(−βx)).
// σ(±βx) come as double-word values (detail::logistic) with the rounding error of β·x carried
// along, so the product with x and the sum 1 + βx·σ(−βx) — which crosses zero near βx = −1.2785 —
// are formed to about twice T's precision and rounded once: f′ is then accurate relative to the
// magnitudes of its terms, the best any evaluation that rounds them can do. Where σ(βx) is tiny
// (βx < 0) the results are computed in units of its power of two and scaled once at the end.
// Where βx = ±∞ the products 0·∞ are replaced by the limits: f → x or 0, f′ → 1 or 0. Float f on
// x86 is computed in double instead (in_double.hpp): x·σ(βx) with βx exact, one division, one
// rounding. f′ keeps the double-word form: its sum 1 + βx·σ(−βx) cancels near βx = −1.2785, where
// the double exponential's 2^−36 would show.
#pragma once

#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Swish : detail::Elementwise<Swish<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Swish<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Swish<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Swish";

  T beta;

  explicit Swish(T beta_ = T(1)) : beta(beta_) { detail::require_finite(name, "beta", beta); }

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      return detail::in_double(x, [b = double(beta)](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        // z = βx is exact in double. β = 0 gives σ(0) = 1/2 for every x but NaN (0·∞ would be NaN).
        const D z = b == 0.0 ? detail::select(d == d, D(0.0), d) : D(b) * d;
        // e^−|z| clamped at −200: |x|·e^−200 rounds to 0 in float for every float x.
        const D y = d * detail::sigmoid_for_float(z, -200.0);
        return detail::select(z == D(-std::numeric_limits<double>::infinity()), D(0.0), y);  // the limit 0
      });
    }
    if constexpr (detail::is_fast_v<Policy>) {
      // β = 1 (SiLU) has no rounding error in β·x to carry: a body without it.
      if (beta == T(1)) return silu{}.eval(x);
      return fast_forward<true>(x, argument(x));
    }
    const detail::dw<V> z = argument(x);
    const auto s = detail::logistic(z.hi, z.lo);
    // x·σ(−|z|)·2^−n may exceed the largest finite T before its power of two for a huge x: a
    // quarter of it may not.
    const auto huge = detail::abs(x) > V(huge_magnitude);
    const V factor = detail::select(huge, V(T(0.25)), V(T(1)));
    const detail::dw<V> negative{s.negative.hi * factor, s.negative.lo * factor};
    const V n = s.n + detail::select(huge, V(T(2)), V(T(0)));
    const V v = detail::mul_round(x, negative);
    // ldexp rounds v·2^n once for |v| ≥ 2^(min_exponent + 2p + 4), and where n = 0 (|z| < ln2/2).
    // With |β| ≤ 2^(−min_exponent/2) one of them holds: |x| ≥ 2^(min_exponent/2 − 2) gives
    // |v| ≥ |x|·0.35, a smaller x gives |z| < 1/4. A larger β needs ldexp_any.
    const V below = std::fabs(beta) > wide_beta ? detail::ldexp_any<3>(v, n) : detail::ldexp<3>(v, n);
    const V y = detail::select(z.hi >= V(T(0)), detail::mul_round(x, s.positive), below);
    return detail::select(z.hi == V(-std::numeric_limits<T>::infinity()), V(T(0)), y);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    using detail::dw;
    const V zero = V(T(0));
    if constexpr (detail::is_fast_v<Policy>) {
      if (beta == T(1)) return silu{}.eval_derivative(x);
      return fast_derivative<true>(argument(x));
    }
    const dw<V> z = argument(x);
    const auto s = detail::logistic(z.hi, z.lo);
    const auto nonnegative = z.hi >= zero;
    // σ(z) (in units of 2^n where z < 0) and σ(−z) (a value: tiny terms may underflow, next to 1).
    // A quarter of it where |z| is huge, so that the product with c (up to |z|) cannot overflow.
    const auto huge = detail::abs(z.hi) > V(huge_magnitude);
    const V factor = detail::select(huge, V(T(0.25)), V(T(1)));
    const dw<V> a{detail::select(nonnegative, s.positive.hi, s.negative.hi) * factor,
                  detail::select(nonnegative, s.positive.lo, s.negative.lo) * factor};
    const dw<V> b{detail::select(nonnegative, detail::ldexp<2>(s.negative.hi, s.n), s.positive.hi),
                  detail::select(nonnegative, detail::ldexp<2>(s.negative.lo, s.n), s.positive.lo)};
    // c = 1 + (z + dz)·σ(−z), exact to about 2^−2p of its terms.
    const dw<V> p = detail::two_product(z.hi, b.hi);
    dw<V> c = detail::two_sum(V(T(1)), p.hi);
    c.lo = c.lo + (p.lo + detail::mul_add(z.hi, b.lo, z.lo * b.hi));
    const V n = detail::select(nonnegative, zero, s.n) + detail::select(huge, V(T(2)), zero);
    const V d = detail::ldexp<3>(detail::round(detail::mul_dw(a, c)), n);
    const V inf = V(std::numeric_limits<T>::infinity());
    return detail::select(z.hi == inf, V(T(1)), detail::select(z.hi == -inf, zero, d));
  }

  // The Eigen walks' body (detail::Elementwise::with_held): SiLU's chosen once per call.
  template <class Use>
  void with_kernel(const Use& use) const {
    if constexpr (detail::is_fast_v<Policy>) {
      if (beta == T(1)) return use(silu{});
    }
    use(*this);
  }

 private:
  // The fast bodies at β = 1.
  struct silu {
    template <class V>
    V eval(const V& x) const {
      return fast_forward<false>(x, detail::dw<V>{x, V(T(0))});
    }
    template <class V>
    V eval_derivative(const V& x) const {
      return fast_derivative<false>(detail::dw<V>{x, V(T(0))});
    }
  };

  static constexpr T huge_magnitude = std::numeric_limits<T>::max() / 4;
  static constexpr T wide_beta = detail::pow2_v<T, -std::numeric_limits<T>::min_exponent / 2>;  // 2^62, 2^510

  // The fast bodies, given z = β·x and its rounding error (carried into e^−z where Carry). Where
  // |z| ≤ direct_bound, f = x/(1 + e^−z) and f′ = σ·(1 + z·e^−z·σ) with σ = 1/(1 + e^−z), e^−z·σ
  // being σ(−z); beyond (|z| above 86 for float, 708 for double; ±∞; NaN) the scaled bodies below,
  // from the logistic parts of z, for those lanes only (fast::direct_or_scaled).
  template <bool Carry, class V>
  static detail::fast::scaled_value<V> fast_exp(const detail::dw<V>& z) {
    if constexpr (Carry) return detail::fast::exp_neg_direct(z.hi, z.lo);
    return detail::fast::exp_neg_direct(z.hi);
  }
  template <bool Carry, class V>
  static V fast_forward(const V& x, const detail::dw<V>& z) {
    return detail::fast::direct_or_scaled(
        z.hi, [&] { return detail::divide(x, detail::fast::one_plus(fast_exp<Carry>(z))); },
        [](const V& v, const V& w, const V& dv) { return fast_forward_scaled(v, w, detail::fast::logistic(w, dv)); },
        x, z.hi, z.lo);
  }
  template <bool Carry, class V>
  static V fast_derivative(const detail::dw<V>& z) {
    return detail::fast::direct_or_scaled(
        z.hi,
        [&] {
          const detail::fast::scaled_value<V> e = fast_exp<Carry>(z);
          const V s = detail::divide(V(T(1)), detail::fast::one_plus(e));
          return s * detail::mul_add(z.hi, (e.p * e.scale) * s, V(T(1)));
        },
        [](const V& w, const V& dv) { return fast_derivative_scaled(w, detail::fast::logistic(w, dv)); }, z.hi, z.lo);
  }
  template <class V>
  static V fast_forward_scaled(const V& x, const V& z, const detail::fast::logistic_parts<V>& s) {
    // x·q·2^n as (x·q/4)·2^(n+2): a quarter cannot overflow (and costs at most 2 units where
    // x·q/4 is subnormal, within the fast bound).
    const V y = detail::select(z >= V(T(0)), x * s.r, detail::ldexp<3>(x * (s.q * V(T(0.25))), s.n + V(T(2))));
    return detail::select(z == V(-std::numeric_limits<T>::infinity()), V(T(0)), y);
  }
  template <class V>
  static V fast_derivative_scaled(const V& z, const detail::fast::logistic_parts<V>& s) {
    // σ(z)·(1 + z·σ(−z)): σ(z) = r or q·2^n, σ(−z) = q·2^n (tiny next to 1) or r.
    const V zero = V(T(0));
    const auto nonnegative = z >= zero;
    const V a = detail::select(nonnegative, s.r, s.q) * V(T(0.25));  // a·c/4 cannot overflow
    const V b = detail::select(nonnegative, detail::ldexp<2>(s.q, s.n), s.r);
    const V c = detail::mul_add(z, b, V(T(1)));
    const V d = detail::ldexp<3>(a * c, detail::select(nonnegative, zero, s.n) + V(T(2)));
    const V inf = V(std::numeric_limits<T>::infinity());
    return detail::select(z == inf, V(T(1)), detail::select(z == -inf, zero, d));
  }

  // β·x and its rounding error; with β = 0 the function is x/2 everywhere, ±∞ included (β·x = 0,
  // not 0·∞ = NaN), and a NaN x stays NaN (so that f′ is NaN there, not 1/2).
  template <class V>
  detail::dw<V> argument(const V& x) const {
    if (beta == T(0)) return {detail::select(x == x, V(T(0)), x), V(T(0))};
    return detail::beta_argument<Policy>(beta, x);
  }
};

// A lazy Eigen expression applying Swish elementwise, vectorized inside Eigen's own loop:
// activ::swish(W * x + b) needs no temporary.
template <class D>
auto swish(const Eigen::DenseBase<D>& x, typename D::Scalar beta = typename D::Scalar(1)) {
  return x.derived().unaryExpr(Swish<typename D::Scalar>{beta});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Swish, 80)
