// activ/softplus.hpp — f(x) = βx > threshold ? x : log1p(e^{βx})/β, f′(x) = βx > threshold ? 1 : σ(βx).
// log1p(e^{βx}) = max(βx, 0) + log1p(e^−|βx|): the exponential's argument is never positive, so
// nothing overflows for any x. e^−|βx| and log1p come as double-word values and the rounding
// error of β·x is carried along (TwoProduct, and e^−|z+dz| = e^−|z|·(1 ∓ dz)), so β ≠ 1 costs no
// accuracy; the division by β is corrected once by its residual. Where e^−|βx| < 2^−(p+3),
// log1p(e) = e·(1 − e/2) to 2^−2p, scaled by its power of two only at the end, so that subnormal
// results (βx < −87.3 in float) round once. The threshold is part of the definition, as in
// PyTorch, and is compared with β·x rounded to T. Float on x86 computes in double instead
// (in_double.hpp), with βx exact there: f = (max(βx, 0) + log1p(e^−|βx|))·(1/β), f′ = σ(βx), each
// rounded once to float at the end.
#pragma once

#include "detail/checks.hpp"
#include "detail/elementwise.hpp"
#include "detail/fast_math.hpp"
#include "detail/in_double.hpp"
#include "detail/math.hpp"

namespace activ {

template <class T, class Policy>
struct Softplus : detail::Elementwise<Softplus<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::Softplus<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::Softplus<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "Softplus";

  T beta;
  T threshold;

  explicit Softplus(T beta_ = T(1), T threshold_ = T(20)) : beta(beta_), threshold(threshold_) {
    detail::require_finite(name, "beta", beta);
    detail::require_nonzero(name, "beta", beta);
    detail::require_not_nan(name, "threshold", threshold);
  }

  template <class V>
  V eval(const V& x) const {
    using detail::dw;
    const V zero = V(T(0));
    if constexpr (detail::is_fast_v<Policy>) {
      // β = 1 has no rounding error in β·x to carry: a body without it.
      if (beta == T(1)) return unit_beta{*this}.eval(x);
      return fast_forward<true>(x, argument(x));
    }
    if constexpr (detail::computes_in_double_v<T, Policy>) {
      // (max(βx, 0) + log1p(e^−|βx|))·(1/β) with βx exact in double. e^−|βx| is clamped at −220,
      // where it is below 2^−317 and its quotient by any float β (≥ 2^−149) rounds to 0 in float.
      const V y = detail::in_double(x, [b = double(beta), inverse = 1.0 / double(beta)](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        const D z = D(b) * d;
        const D e = detail::exp_for_float(detail::neg_abs(z), -220.0);
        return (detail::at_least(z, D(0.0)) + detail::log1p_for_float(e)) * D(inverse);
      });
      return detail::select(linear(V(beta) * x), x, y);  // the threshold takes β·x rounded to T
    }
    const dw<V> z = argument(x);  // β·x = z.hi + z.lo
    const auto e = detail::exp_neg_abs(z.hi, z.lo);
    const V e_lo = e.lo;
    // e^−|z| = (e.hi + e_lo)·2^n; unscaled it only needs to be tiny below 2^−126.
    const V scale = detail::pow2(detail::select(e.n < V(T(-126)), V(T(-126)), e.n));
    const dw<V> log_term = detail::log1p_dw(detail::product(e.hi, scale), detail::product(e_lo, scale));
    // z > 0: z + log1p(e^−z).
    dw<V> above = detail::two_sum(z.hi, log_term.hi);
    above.lo = above.lo + (log_term.lo + z.lo);
    // z ≤ 0 and e tiny: e·(1 − e/2), in units of 2^n.
    const auto tiny = e.n < V(T(-(std::numeric_limits<T>::digits + 3)));
    const dw<V> small{e.hi, detail::mul_add(e.hi * scale, V(T(-0.5)) * e.hi, e_lo)};
    const auto positive = z.hi > zero;
    const dw<V> y{detail::select(positive, above.hi, detail::select(tiny, small.hi, log_term.hi)),
                  detail::select(positive, above.lo, detail::select(tiny, small.lo, log_term.lo))};
    const V n = detail::select(positive, zero, detail::select(tiny, e.n, zero));
    const scaled_beta b = scaled();
    const V v = detail::divide_round(y, V(b.value), V(T(1) / b.value));
    // |y| ≥ 2^−(p+4): ldexp rounds v·2^n once (|v| ≥ 2^(min_exponent + 2p + 4)) unless β is huge.
    using L = std::numeric_limits<T>;
    constexpr T wide = detail::pow2_v<T, -(L::min_exponent + 3 * L::digits + 8)>;  // 2^45, 2^854
    const V m = n + V(b.shift);
    const V result = std::fabs(b.value) > wide ? detail::ldexp_any<3>(v, m) : detail::ldexp<3>(v, m);
    return detail::select(linear(z.hi), x, result);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) {
      if (beta == T(1)) return unit_beta{*this}.eval_derivative(x);
      const auto z = argument(x);
      return detail::select(z.hi > V(threshold), V(T(1)), detail::fast::sigmoid_at(z.hi, z.lo));
    }
    if constexpr (detail::computes_in_double_v<T, Policy>) {  // σ(βx) with βx exact in double
      const V s = detail::in_double(x, [b = double(beta)](const auto& d) {
        return detail::sigmoid_for_float(std::decay_t<decltype(d)>(b) * d);
      });
      return detail::select(V(beta) * x > V(threshold), V(T(1)), s);  // the threshold takes β·x rounded to T
    }
    const auto z = argument(x);
    return detail::select(z.hi > V(threshold), V(T(1)), detail::sigmoid(detail::logistic(z.hi, z.lo), z.hi));
  }
  // f′ = σ(βx) = 1 − e^{−βy} (βy = log1p(e^{βx})), and 1 above the threshold. Negated as 0 − v on
  // every path (xsimd negates so on AVX-512, by a sign flip elsewhere): f′ at y = 0 is +0 on all.
  // The fast policy takes the fast e^x − 1, which is written for x ≤ 0: −βy ≤ 0 for every output
  // of f (y ≥ 0 for β > 0, y ≤ 0 for β < 0). A y that f never returns is clamped at −βy ≤ 88, where
  // e^88 is still finite (the accurate path's expm1 reaches ∞ a little later).
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    const V z = V(beta) * y;
    const V zero = V(T(0));
    V e;  // e^−βy − 1
    if constexpr (detail::is_fast_v<Policy>) {
      e = detail::fast::expm1_nonpositive(detail::at_most(zero - z, V(T(88))));
    } else {
      e = detail::expm1(zero - z);
    }
    return detail::select(z > V(threshold), V(T(1)), zero - e);
  }

  // The Eigen walks' body (detail::Elementwise::with_held): β = 1's chosen once per call.
  template <class Use>
  void with_kernel(const Use& use) const {
    if constexpr (detail::is_fast_v<Policy>) {
      if (beta == T(1)) return use(unit_beta{*this});
    }
    use(*this);
  }

 private:
  // The fast bodies at β = 1.
  struct unit_beta {
    Softplus f;
    template <class V>
    V eval(const V& x) const {
      return f.template fast_forward<false>(x, detail::dw<V>{x, V(T(0))});
    }
    template <class V>
    V eval_derivative(const V& x) const {
      return detail::select(x > V(f.threshold), V(T(1)), detail::fast::sigmoid_at(x));
    }
  };

  // The fast body for z = β·x (+ its rounding error, carried into e^−|z| where Carry). Where every
  // lane has |z| ≤ direct_bound (86 float, 708 double), e = e^−|z| is a normal number and log1p(e)
  // takes it as it is (log1p_unit gives e for a tiny e): max(z, 0) + log1p(e), then 1/β, and x
  // where z > threshold (no z there is ∞). Other batches, and a tiny β (rare), take the scaled form.
  template <bool Carry, class V>
  V fast_forward(const V& x, const detail::dw<V>& z) const {
    const scaled_beta b = Carry ? scaled() : scaled_beta{T(1), T(0)};  // Carry is false only at β = 1
    if (b.shift != T(0)) return fast_forward_scaled<Carry>(x, z.hi, z.lo);
    return detail::fast::direct_or_scaled(
        z.hi,
        [&] {
          const V zero = V(T(0));
          const V a = detail::abs(z.hi);  // its rounding error is ±dz: e^−|z + dz| = e^−|z|·(1 ∓ dz)
          const auto e = Carry ? detail::fast::exp_neg_direct(a, detail::select(z.hi >= zero, z.lo, -z.lo))
                               : detail::fast::exp_neg_direct(a);
          const V head = detail::at_least(Carry ? z.hi + z.lo : z.hi, zero);
          V y = head + detail::fast::log1p_unit(e.p * e.scale);
          if constexpr (Carry) y = y * V(T(1) / b.value);
          return detail::select(z.hi > V(threshold), x, y);
        },
        [](const Softplus& f, const V& xv, const V& hi, const V& lo) {
          return f.template fast_forward_scaled<Carry>(xv, hi, lo);
        },
        *this, x, z.hi, z.lo);
  }

  // The fast body's scaled form: e^−|z| = p·2^n, log1p(p·2^n) and, where e < 2^−(p+3), e/β scaled
  // by 2^n once at the end.
  template <bool Carry, class V>
  V fast_forward_scaled(const V& x, const V& z_hi, const V& z_lo) const {
    const detail::dw<V> z{z_hi, z_lo};
    const V zero = V(T(0));
    auto e = detail::fast::exp_nonpositive_parts(detail::neg_abs(z.hi));
    if constexpr (Carry) e.p = detail::neg_mul_add(e.p, detail::select(z.hi >= zero, z.lo, -z.lo), e.p);
    const auto positive = z.hi > zero;
    const V head = detail::select(positive, Carry ? z.hi + z.lo : z.hi, zero);
    const scaled_beta b = Carry ? scaled() : scaled_beta{T(1), T(0)};  // Carry is false only at β = 1
    const V inverse = V(T(1) / b.value);
    V y = (head + detail::fast::log1p_unit(detail::fast::tiny_scaled(e))) * inverse;
    // Where e < 2^−(p+3), log1p(e) = e to T's precision: e/β scaled by 2^n once, at the end.
    const auto tiny = !positive && (e.n < V(T(-(std::numeric_limits<T>::digits + 3))));
    V y_tiny;
    if (b.shift == T(0)) {
      // Most batches have no such lane (βx ≥ −18 for float, −39 for double): no scaling at all.
      if (detail::all_of(!tiny)) return detail::select(linear(z.hi), x, y);
      y_tiny = detail::ldexp<3>(e.p * inverse, e.n);
    } else {  // a tiny β (rare): the quotients by β·2^shift brought back
      y = detail::ldexp<3>(y, V(b.shift));
      y_tiny = detail::ldexp<3>(e.p * inverse, e.n + V(b.shift));
    }
    return detail::select(linear(z.hi), x, detail::select(tiny, y_tiny, y));
  }

  template <class V>
  detail::dw<V> argument(const V& x) const {
    return detail::beta_argument<Policy>(beta, x);
  }

  // f = x above the threshold, and where β·x overflows to +∞ below it (a threshold of ∞ or near the
  // largest T): log1p(e^{βx})/β is x to T's precision there, where the formula gave ∞ − ∞ = NaN
  // (found by tests/fuzz/fuzz_elementwise: β = −16447.75, threshold ∞, x = −5.2·10^36).
  template <class V>
  auto linear(const V& z) const {
    return (z > V(threshold)) || (z == V(std::numeric_limits<T>::infinity()));
  }

  // 1/β overflows for a subnormal β (or nearly): the kernels divide by β·2^64 instead (exact) and
  // scale the quotient by 2^64 (a result beyond T's range is then ±∞, not ∞·0 = NaN).
  struct scaled_beta {
    T value;
    T shift;
  };
  scaled_beta scaled() const {
    if (std::fabs(beta) < T(0x1p-64)) return {beta * T(0x1p64), T(64)};
    return {beta, T(0)};
  }
};

// A lazy Eigen expression applying Softplus elementwise, vectorized inside Eigen's own loop:
// activ::softplus(W * x + b) needs no temporary.
template <class D>
auto softplus(const Eigen::DenseBase<D>& x, typename D::Scalar beta = typename D::Scalar(1),
              typename D::Scalar threshold = typename D::Scalar(20)) {
  return x.derived().unaryExpr(Softplus<typename D::Scalar>{beta, threshold});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(Softplus, 100)
