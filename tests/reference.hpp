// tests/reference.hpp — the independent reference: every activation and its derivative in long
// double, written from the mathematical definitions with the C library's long double functions
// (std::exp, expm1, log1p, tanh, cosh on long double), never with activ's own kernels. Long double carries 11
// more bits than double, so rounding the reference contributes < 0.001 ULP to any measurement.
#pragma once

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace reference {

using real = long double;

struct Function {
  std::function<real(real)> f;   // f(x)
  std::function<real(real)> df;  // f′(x)
  // Where f′ crosses zero, the sum of the magnitudes of f′'s terms (sets the error unit there, see
  // harness.hpp); nullptr where f′ does not cross zero.
  std::function<real(real)> df_terms;
  std::vector<real> kinks;  // where f or f′ jumps: finite differences do not straddle these
};

inline real sigma(real z) { return 1.0L / (1.0L + std::exp(-z)); }

inline Function relu() {
  return {[](real x) { return x > 0 ? x : (std::isnan(x) ? x : 0.0L); },
          [](real x) { return x > 0 ? 1.0L : (std::isnan(x) ? x : 0.0L); },
          nullptr,
          {0.0L}};
}

// LeakyReLU, PReLU with one alpha, RReLU in eval mode.
inline Function leaky(real slope) {
  return {[=](real x) { return x > 0 ? x : slope * x; },
          [=](real x) { return x > 0 ? 1.0L : (std::isnan(x) ? x : slope); },
          nullptr,
          {0.0L}};
}

inline Function elu(real alpha, real scale = 1.0L) {
  return {[=](real x) { return scale * (x > 0 ? x : alpha * std::expm1(x)); },
          [=](real x) { return scale * (x > 0 ? 1.0L : alpha * std::exp(x)); },
          nullptr,
          {0.0L}};
}

inline Function selu() { return elu(1.6732632423543772848170429916717L, 1.0507009873554804934193349852946L); }

inline Function sigmoid() {
  return {[](real x) { return sigma(x); }, [](real x) { return sigma(x) * sigma(-x); }, nullptr, {}};
}

inline Function tanh() {
  return {[](real x) { return std::tanh(x); },
          [](real x) {
            const real c = std::cosh(x);  // sech²x: no cancellation, 0 once cosh overflows
            return 1.0L / (c * c);
          },
          nullptr,
          {}};
}

inline Function softsign() {
  return {[](real x) { return std::isinf(x) ? std::copysign(1.0L, x) : x / (1.0L + std::fabs(x)); },
          [](real x) {
            const real d = 1.0L + std::fabs(x);
            return 1.0L / (d * d);
          },
          nullptr,
          {}};
}

// The threshold compares β·x rounded to T with the threshold, as the function is defined
// (API.md: "β·x > thr" is evaluated in the functor's type).
template <class T>
Function softplus(T beta, T threshold) {
  auto above = [=](real x) { return static_cast<T>(beta * static_cast<T>(x)) > threshold; };
  auto log1p_exp = [](real z) { return z > 11000 ? z : std::log1p(std::exp(z)); };
  return {[=](real x) {
            if (std::isnan(x)) return x;
            return above(x) ? x : log1p_exp(static_cast<real>(beta) * x) / beta;
          },
          [=](real x) {
            if (std::isnan(x)) return x;
            return above(x) ? 1.0L : sigma(static_cast<real>(beta) * x);
          },
          nullptr,
          {static_cast<real>(threshold) / beta}};
}

inline Function swish(real beta) {
  return {[=](real x) {
            if (std::isinf(x)) return beta * x > 0 ? x : 0.0L;
            return x * sigma(beta * x);
          },
          [=](real x) {
            if (std::isinf(x)) return beta * x > 0 ? 1.0L : 0.0L;
            const real z = beta * x;
            return sigma(z) + z * sigma(z) * sigma(-z);
          },
          [=](real x) {
            const real z = beta * x;
            return std::isinf(x) ? 1.0L : std::fabs(sigma(z)) + std::fabs(z * sigma(z) * sigma(-z));
          },
          {}};
}

inline Function hard_swish() {
  return {[](real x) { return x <= -3 ? 0.0L : (x >= 3 ? x : x * (x + 3) / 6); },
          [](real x) { return x <= -3 ? 0.0L : (x >= 3 ? 1.0L : (2 * x + 3) / 6); },
          [](real x) { return std::isinf(x) ? 1.0L : std::fabs(x / 3) + 0.5L; },
          {-3.0L, 3.0L}};
}

}  // namespace reference
