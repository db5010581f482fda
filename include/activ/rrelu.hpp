// activ/rrelu.hpp — RReLU in eval mode: LeakyReLU with slope s = (lower + upper)/2
// (f′(0) = s), as PyTorch's RReLU when not training.
#pragma once

#include "leaky_relu.hpp"

namespace activ {

template <class T>
struct RReLU : detail::Elementwise<RReLU<T>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::RReLU<T>: T must be float or double");
  static constexpr const char* name = "RReLU";

  T lower;
  T upper;

  explicit RReLU(T lower_ = T(1) / T(8), T upper_ = T(1) / T(3)) : lower(lower_), upper(upper_) {
    detail::require_finite(name, "lower", lower);
    detail::require_finite(name, "upper", upper);
    if (lower > upper) {
      detail::fail(detail::qualified_name<T>(name) + ": parameter lower must not exceed upper, got lower = " +
                   detail::to_text(lower) + ", upper = " + detail::to_text(upper));
    }
  }

  // The eval-mode slope. Halving each bound first keeps the sum finite for any finite bounds.
  T slope() const { return lower / T(2) + upper / T(2); }

  template <class V>
  V eval(const V& x) const {
    return detail::leaky(x, slope());
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::leaky_derivative(x, slope());
  }
};

}  // namespace activ
