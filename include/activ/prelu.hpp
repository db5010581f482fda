// activ/prelu.hpp — PReLU with one shared alpha: f(x) = x > 0 ? x : a·x, f′(x) = x > 0 ? 1 : a
// (f′(0) = a). ∂f/∂a = x > 0 ? 0 : x.
#pragma once

#include "leaky_relu.hpp"

namespace activ {

template <class T>
struct PReLU : detail::Elementwise<PReLU<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::PReLU<T>: T must be float or double");
  static constexpr const char* name = "PReLU";

  T alpha;

  explicit PReLU(T alpha_ = T(0.25)) : alpha(alpha_) { detail::require_finite(name, "alpha", alpha); }

  template <class V>
  V eval(const V& x) const {
    return detail::leaky(x, alpha);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::leaky_derivative(x, alpha);
  }
};

}  // namespace activ
