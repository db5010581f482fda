// tests/reference.hpp — the independent reference: every activation and its derivative written
// from the mathematical definitions with the C library's functions (exp, expm1, log1p, tanh) in a
// real type R wider than the result, never with activ's own kernels. One definition serves
//   R = long double  the unit tests (reference::real; 11 bits more than double, so rounding the
//                    reference contributes < 0.002 double ULP) and the double sweep;
//   R = double       the float sweep (29 bits more than float: < 10^−8 float ULP);
//   R = __float128   the sweep's re-measurements close to a bound (real.hpp, ACTIV_TESTS_FLOAT128).
//
// Each function is a small struct (Swish<R>{beta}, …) with f, df and df_terms taking the input as
// a Shared<R>: the library values several functions need at the same x (e^{−|βx|}, expm1 x,
// tanh x) are computed there once, on first use, so that the sweep can evaluate all fifteen
// configurations at one input for six library calls. reference::swish(beta) etc. wrap a struct
// into a BasicFunction<R> of std::functions of x; without <R> they give long double, so
// reference::swish(1.7f) and reference::Function are the unit tests' long double reference.
//
// The argument β·x of swish and softplus is carried as z + dz, with dz the rounding error of the
// product in R (zero when R holds the product exactly, as for float in double), and e^{−|z+dz|} is
// taken as e^{−|z|}·(1 ∓ dz): in long double, β·x for doubles is rounded to 64 bits, and near
// |βx| = 700 that alone would move e^{βx} by half a double ULP.
#pragma once

#include "real.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace reference {

using real = long double;

// A parameter of type R that does not take part in deduction: elu(1) is elu<long double>(1).
template <class R>
struct identity {
  using type = R;
};
template <class R>
using param = typename identity<R>::type;

// ---- products and exponentials ---------------------------------------------------------------

// The rounding error of p = a·b in R, exactly: an fma for double and __float128; Dekker's product
// for long double, whose fmal is a slow software routine (x87 arithmetic has no fma and does not
// contract; the 113-digit long double of AArch64 is software arithmetic, not contracted either):
// Veltkamp's split at 2^⌈digits/2⌉ + 1 (2^32 + 1 for x87's 64 digits, 2^57 + 1 for 113) gives
// halves of at most ⌊digits/2⌋ digits, so that every partial product is exact.
template <class R>
R product_error(R a, R b, R p) {
  return real_math::fma(a, b, -p);
}
inline long double product_error(long double a, long double b, long double p) {
  constexpr int digits = std::numeric_limits<long double>::digits;
  constexpr long double split = static_cast<long double>(std::uint64_t(1) << ((digits + 1) / 2)) + 1;
  auto halves = [&](long double v, long double& hi, long double& lo) {
    const long double c = split * v;
    hi = c - (c - v);
    lo = v - hi;
  };
  long double ah, al, bh, bl;
  halves(a, ah, al);
  halves(b, bh, bl);
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// e^{−|z+dz|} ≈ e^{−|z|}·(1 ∓ dz): |dz| ≤ ulp(z)/2, so the neglected term is below ulp(z)²/8.
// The argument of exp is never positive: nothing overflows.
template <class R>
R exp_neg_abs(R z, param<R> dz = R(0)) {
  const R a = real_math::fabs(z);
  if (a > real_math::exp_zero_beyond<R>()) return R(0);  // what exp gives, without its underflow path
  const R e = real_math::exp(-a);
  return z >= 0 ? e - e * dz : e + e * dz;
}

// z = β·x rounded to R, and e = e^{−|βx|} of the exact product.
template <class R>
struct Scaled {
  R beta, z, e;
};
template <class R>
Scaled<R> scaled(R beta, R x) {
  const R z = beta * x;
  const bool finite = !real_math::isinf(z) && !real_math::isnan(z);
  return {beta, z, exp_neg_abs(z, finite ? product_error(beta, x, z) : R(0))};
}

// σ(z) from z and e^{−|z|}: 1/(1 + e) for z ≥ 0, e/(1 + e) below, so that it keeps its relative
// accuracy for z ≪ 0; σ(−z) is the other one.
template <class R>
R sigma_of(const Scaled<R>& s) {
  return s.z >= 0 ? R(1) / (R(1) + s.e) : s.e / (R(1) + s.e);
}
template <class R>
R sigma_of_negative(const Scaled<R>& s) {
  return s.z >= 0 ? s.e / (R(1) + s.e) : R(1) / (R(1) + s.e);
}

// One input x and the library values computed for it so far.
template <class R>
class Shared {
 public:
  explicit Shared(R x = R(0)) { reset(x); }
  void reset(R x) {
    x_ = x;
    scaled_count_ = 0;
    has_expm1_ = has_tanh_ = false;
  }
  R x() const { return x_; }

  const Scaled<R>& scaled(R beta) {
    for (int k = 0; k < scaled_count_; ++k) {
      if (scaled_[k].beta == beta) return scaled_[k];
    }
    Scaled<R>& s = scaled_[scaled_count_ < slots ? scaled_count_++ : slots - 1];
    s = reference::scaled(beta, x_);
    return s;
  }
  R expm1() {
    if (!has_expm1_) expm1_ = real_math::expm1(x_);
    has_expm1_ = true;
    return expm1_;
  }
  R tanh() {
    if (!has_tanh_) tanh_ = real_math::tanh(x_);
    has_tanh_ = true;
    return tanh_;
  }

 private:
  static constexpr int slots = 3;
  R x_;
  Scaled<R> scaled_[slots];
  int scaled_count_;
  R expm1_, tanh_;
  bool has_expm1_, has_tanh_;
};

// ---- the definitions -------------------------------------------------------------------------
// f, df: f(x) and f′(x). df_terms: where f′ is a sum of terms of opposite signs (where it may
// cross zero), the sum of the magnitudes of those terms, which sets the error unit there (ulp.hpp:
// the crossing floor), and 0 where the terms share a sign; only in definitions with
// has_crossing. kinks: where f or f′ jumps (finite differences do not straddle these).

template <class R>
struct Relu {
  static constexpr bool has_crossing = false;
  R f(Shared<R>& s) const { return s.x() > 0 ? s.x() : (real_math::isnan(s.x()) ? s.x() : R(0)); }
  R df(Shared<R>& s) const { return s.x() > 0 ? R(1) : (real_math::isnan(s.x()) ? s.x() : R(0)); }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {R(0)}; }
};

// LeakyReLU, PReLU with one alpha, RReLU in eval mode.
template <class R>
struct Leaky {
  static constexpr bool has_crossing = false;
  R slope;
  // A zero slope is 0 on the whole half-line, its limit at −∞ included (not 0·∞).
  R f(Shared<R>& s) const { return s.x() > 0 ? s.x() : (slope == 0 && real_math::isinf(s.x()) ? R(0) : slope * s.x()); }
  R df(Shared<R>& s) const { return s.x() > 0 ? R(1) : (real_math::isnan(s.x()) ? s.x() : slope); }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {R(0)}; }
};

// ELU, and SELU with its scale λ. e^x for x ≤ 0 is e^{−|x|}.
template <class R>
struct Elu {
  static constexpr bool has_crossing = false;
  R alpha, scale;
  R f(Shared<R>& s) const { return scale * (s.x() > 0 ? s.x() : alpha * s.expm1()); }
  R df(Shared<R>& s) const { return scale * (s.x() > 0 ? R(1) : alpha * s.scaled(R(1)).e); }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {R(0)}; }
};

template <class R>
struct Sigmoid {
  static constexpr bool has_crossing = false;
  R f(Shared<R>& s) const { return real_math::isnan(s.x()) ? s.x() : sigma_of(s.scaled(R(1))); }
  R df(Shared<R>& s) const {  // σ(x)·σ(−x) = e^{−|x|}/(1 + e^{−|x|})²
    const R e = s.scaled(R(1)).e;
    return e / ((R(1) + e) * (R(1) + e));
  }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {}; }
};

template <class R>
struct Tanh {
  static constexpr bool has_crossing = false;
  R f(Shared<R>& s) const { return s.tanh(); }
  R df(Shared<R>& s) const {  // sech²x = 4e^{−2|x|}/(1 + e^{−2|x|})²: no cancellation
    const R e = s.scaled(R(1)).e;
    const R e2 = e * e;
    return 4 * e2 / ((R(1) + e2) * (R(1) + e2));
  }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {}; }
};

template <class R>
struct Softsign {
  static constexpr bool has_crossing = false;
  R f(Shared<R>& s) const {
    const R x = s.x();
    return real_math::isinf(x) ? real_math::copysign(R(1), x) : x / (R(1) + real_math::fabs(x));
  }
  R df(Shared<R>& s) const {
    const R d = R(1) + real_math::fabs(s.x());
    return R(1) / (d * d);
  }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {}; }
};

// The threshold compares β·x rounded to T with the threshold, as the function is defined
// (API.md: "β·x > thr" is evaluated in the functor's type T). Below it, log1p(e^{βx})/β is
// max(βx, 0)/β + log1p(e^{−|βx|})/β, and max(βx, 0)/β is x where βx > 0, else 0.
template <class T, class R>
struct Softplus {
  static constexpr bool has_crossing = false;
  T beta, threshold;
  bool above(R x) const { return static_cast<T>(beta * static_cast<T>(x)) > threshold; }
  R f(Shared<R>& s) const {
    const R x = s.x();
    if (real_math::isnan(x) || above(x)) return x;
    const Scaled<R>& z = s.scaled(static_cast<R>(beta));
    return (z.z > 0 ? x : R(0)) + real_math::log1p(z.e) / static_cast<R>(beta);
  }
  R df(Shared<R>& s) const {
    const R x = s.x();
    if (real_math::isnan(x)) return x;
    return above(x) ? R(1) : sigma_of(s.scaled(static_cast<R>(beta)));
  }
  R df_terms(Shared<R>&) const { return R(0); }
  std::vector<R> kinks() const { return {static_cast<R>(threshold) / static_cast<R>(beta)}; }
};

// f′ = σ(z) + z·σ(z)·σ(−z) with z = βx: the terms have opposite signs where z < 0, and f′ crosses
// zero at z ≈ −1.2785.
template <class R>
struct Swish {
  static constexpr bool has_crossing = true;
  R beta;
  R f(Shared<R>& s) const {
    const R x = s.x();
    if (real_math::isinf(x)) return beta == 0 ? x / 2 : (beta * x > 0 ? x : R(0));  // β = 0: x/2 everywhere
    return x * sigma_of(s.scaled(beta));
  }
  R df(Shared<R>& s) const {
    const R x = s.x();
    if (real_math::isinf(x)) return beta == 0 ? R(0.5) : (beta * x > 0 ? R(1) : R(0));
    const Scaled<R>& z = s.scaled(beta);
    const R sigma = sigma_of(z);
    return sigma + z.z * sigma * sigma_of_negative(z);
  }
  R df_terms(Shared<R>& s) const {
    if (real_math::isinf(s.x())) return R(0);
    const Scaled<R>& z = s.scaled(beta);
    const R sigma = sigma_of(z);
    return z.z < 0 ? sigma + real_math::fabs(z.z) * sigma * sigma_of_negative(z) : R(0);
  }
  std::vector<R> kinks() const { return {}; }
};

// f′ = x/3 + 1/2 on (−3, 3): opposite signs on (−3, 0), zero at −3/2.
template <class R>
struct HardSwish {
  static constexpr bool has_crossing = true;
  R f(Shared<R>& s) const {
    const R x = s.x();
    return x <= -3 ? R(0) : (x >= 3 ? x : x * (x + 3) / 6);
  }
  R df(Shared<R>& s) const {
    const R x = s.x();
    return x <= -3 ? R(0) : (x >= 3 ? R(1) : (2 * x + 3) / 6);
  }
  R df_terms(Shared<R>& s) const {
    const R x = s.x();
    return x > -3 && x < 0 ? -x / 3 + R(1) / 2 : R(0);
  }
  std::vector<R> kinks() const { return {R(-3), R(3)}; }
};

// ---- as functions of x -----------------------------------------------------------------------

template <class R>
struct BasicFunction {
  std::function<R(R)> f;         // f(x)
  std::function<R(R)> df;        // f′(x)
  std::function<R(R)> df_terms;  // see above; nullptr for functions without a crossing
  std::vector<R> kinks;
};
using Function = BasicFunction<real>;

template <class R, class D>
BasicFunction<R> function_of(const D& d) {
  BasicFunction<R> fn;
  fn.f = [d](R x) {
    Shared<R> s(x);
    return d.f(s);
  };
  fn.df = [d](R x) {
    Shared<R> s(x);
    return d.df(s);
  };
  if (D::has_crossing) {
    fn.df_terms = [d](R x) {
      Shared<R> s(x);
      return d.df_terms(s);
    };
  }
  fn.kinks = d.kinks();
  return fn;
}

template <class R = real>
BasicFunction<R> relu() {
  return function_of<R>(Relu<R>{});
}

template <class R = real>
BasicFunction<R> leaky(param<R> slope) {
  return function_of<R>(Leaky<R>{slope});
}

template <class R = real>
BasicFunction<R> elu(param<R> alpha, param<R> scale = R(1)) {
  return function_of<R>(Elu<R>{alpha, scale});
}

// λ and α of API.md, read in R's own precision.
template <class R>
Elu<R> selu_definition() {
  return {real_math::parse<R>("1.6732632423543772848170429916717"),
          real_math::parse<R>("1.0507009873554804934193349852946")};
}
template <class R = real>
BasicFunction<R> selu() {
  return function_of<R>(selu_definition<R>());
}

template <class R = real>
BasicFunction<R> sigmoid() {
  return function_of<R>(Sigmoid<R>{});
}

template <class R = real>
BasicFunction<R> tanh() {
  return function_of<R>(Tanh<R>{});
}

template <class R = real>
BasicFunction<R> softsign() {
  return function_of<R>(Softsign<R>{});
}

template <class T, class R = real>
BasicFunction<R> softplus(T beta, T threshold) {
  return function_of<R>(Softplus<T, R>{beta, threshold});
}

template <class R = real>
BasicFunction<R> swish(param<R> beta) {
  return function_of<R>(Swish<R>{beta});
}

template <class R = real>
BasicFunction<R> hard_swish() {
  return function_of<R>(HardSwish<R>{});
}

// σ(z) in R, for tests that need the logistic function itself.
template <class R>
R sigma(R z) {
  if (real_math::isnan(z)) return z;
  return sigma_of(scaled(R(1), z));
}

}  // namespace reference
