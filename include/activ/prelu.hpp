// activ/prelu.hpp — PReLU: f(x) = x > 0 ? x : a·x, f′(x) = x > 0 ? 1 : a (f′(0) = a),
// ∂f/∂a = x > 0 ? 0 : x. One shared alpha, or one per channel: for a matrix x, channel j is
// column j (rows are samples), as in PyTorch's (N, C) layout.
#pragma once

#include "leaky_relu.hpp"

#include <Eigen/Core>

#include <cmath>
#include <string>
#include <vector>

namespace activ {

template <class T, class Policy>
struct PReLU : detail::Elementwise<PReLU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::PReLU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::PReLU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "PReLU";
  using Base = detail::Elementwise<PReLU<T, Policy>, T>;
  using Alphas = Eigen::Array<T, Eigen::Dynamic, 1>;

  T alpha;        // the shared slope (with per-channel slopes: the first one)
  Alphas alphas;  // per-channel slopes; empty when one alpha is shared

  explicit PReLU(T alpha_ = T(0.25)) : alpha(alpha_) { detail::require_finite(name, "alpha", alpha); }

  // One alpha per channel, from any Eigen vector; a single value is the shared case.
  template <class D>
  explicit PReLU(const Eigen::DenseBase<D>& channel_alphas) {
    const std::string where = detail::constructor_name<T>(name);
    if (channel_alphas.rows() != 1 && channel_alphas.cols() != 1) {
      detail::fail(where + ": parameter alpha must be a vector (one slope per channel), got " +
                   detail::shape_text(channel_alphas.rows(), channel_alphas.cols()));
    }
    if (channel_alphas.size() == 0) {
      detail::fail(where + ": parameter alpha must not be empty, got " +
                   detail::shape_text(channel_alphas.rows(), channel_alphas.cols()));
    }
    Alphas values(channel_alphas.size());
    for (Eigen::Index i = 0; i < values.size(); ++i) {
      values(i) = channel_alphas.rows() == 1 ? channel_alphas.derived()(0, i) : channel_alphas.derived()(i, 0);
      if (!std::isfinite(values(i))) {
        detail::fail(where + ": parameter alpha[" + std::to_string(i) + "] must be finite, got " +
                     detail::to_text(values(i)));
      }
    }
    alpha = values(0);
    if (values.size() > 1) alphas = std::move(values);
  }

  Eigen::Index channels() const { return alphas.size() == 0 ? 1 : alphas.size(); }

  // The bodies for one shared alpha as a trivially copyable functor, for the Eigen walks, which
  // then keep alpha in a register (read through this PReLU, it was reloaded and tested for 0 in
  // every iteration: forward 1.57x faster so at 4096, 1.15x at 65536, AVX2).
  LeakyReLU<T, Policy> kernel() const { return LeakyReLU<T, Policy>(alpha); }

  template <class V>
  V eval(const V& x) const {
    return detail::leaky(x, alpha);
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::leaky_derivative(x, alpha);
  }
  // With every alpha ≥ 0, y > 0 exactly where x > 0: f′ = y > 0 ? 1 : a.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return detail::leaky_derivative(y, alpha);
  }
  void check_from_output(const char* entry) const {
    if (alphas.size() == 0) {
      if (!(alpha >= T(0))) detail::fail_from_output<T>(name, entry, "alpha", alpha);
      return;
    }
    for (Eigen::Index j = 0; j < alphas.size(); ++j) {
      if (!(alphas(j) >= T(0))) {
        detail::fail_from_output<T>(name, entry, ("alpha[" + std::to_string(j) + "]").c_str(), alphas(j));
      }
    }
  }

  // ---- Eigen, with per-channel slopes -------------------------------------------------------
  using Base::backward_from_output;
  using Base::derivative;
  using Base::derivative_from_output;
  using Base::forward;

  template <class X, class Y, std::enable_if_t<detail::is_eigen_dense_v<Y>, int> = 0>
  void forward(const Eigen::DenseBase<X>& x, Y&& y) const {
    if (alphas.size() == 0) return Base::forward(x, std::forward<Y>(y));
    this->check_shapes("forward", x.derived(), "x", y, "y");
    check_channels("forward", x.derived());
    per_channel([](const auto& v, const auto& a) { return detail::leaky(v, a); }, std::forward<Y>(y), x.derived());
  }

  template <class X, class D, std::enable_if_t<detail::is_eigen_dense_v<D>, int> = 0>
  void derivative(const Eigen::DenseBase<X>& x, D&& d) const {
    if (alphas.size() == 0) return Base::derivative(x, std::forward<D>(d));
    this->check_shapes("derivative", x.derived(), "x", d, "d");
    check_channels("derivative", x.derived());
    per_channel([](const auto& v, const auto& a) { return detail::leaky_derivative(v, a); }, std::forward<D>(d),
                x.derived());
  }

  template <class X, class DY, class DX, std::enable_if_t<detail::is_eigen_dense_v<DX>, int> = 0>
  void backward(const Eigen::DenseBase<X>& x, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    if (alphas.size() == 0) return Base::backward(x, dy, std::forward<DX>(dx));
    this->check_shapes("backward", x.derived(), "x", dx, "dx");
    this->check_shapes("backward", dy.derived(), "dy", dx, "dx");
    check_channels("backward", x.derived());
    per_channel([](const auto& v, const auto& g, const auto& a) { return g * detail::leaky_derivative(v, a); },
                std::forward<DX>(dx), x.derived(), dy.derived());
  }

  template <class Y, class D, std::enable_if_t<detail::is_eigen_dense_v<D>, int> = 0>
  void derivative_from_output(const Eigen::DenseBase<Y>& y, D&& d) const {
    if (alphas.size() == 0) return Base::derivative_from_output(y, std::forward<D>(d));
    this->check_shapes("derivative_from_output", y.derived(), "y", d, "d");
    check_channels("derivative_from_output", y.derived());
    check_from_output("derivative_from_output");
    per_channel([](const auto& v, const auto& a) { return detail::leaky_derivative(v, a); }, std::forward<D>(d),
                y.derived());
  }

  template <class Y, class DY, class DX, std::enable_if_t<detail::is_eigen_dense_v<DX>, int> = 0>
  void backward_from_output(const Eigen::DenseBase<Y>& y, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    if (alphas.size() == 0) return Base::backward_from_output(y, dy, std::forward<DX>(dx));
    this->check_shapes("backward_from_output", y.derived(), "y", dx, "dx");
    this->check_shapes("backward_from_output", dy.derived(), "dy", dx, "dx");
    check_channels("backward_from_output", y.derived());
    check_from_output("backward_from_output");
    per_channel([](const auto& v, const auto& g, const auto& a) { return g * detail::leaky_derivative(v, a); },
                std::forward<DX>(dx), y.derived(), dy.derived());
  }

  // dx = dy ⊙ f′(x) and, per channel j, dalpha[j] = Σ_i dy(i, j)·(x(i, j) > 0 ? 0 : x(i, j)) (with
  // one shared alpha: the sum over every element). The sums run in double for float, and
  // Kahan-compensated for double.
  template <class X, class DY, class DX, class DA, std::enable_if_t<detail::is_eigen_dense_v<DA>, int> = 0>
  void backward(const Eigen::DenseBase<X>& x, const Eigen::DenseBase<DY>& dy, DX&& dx, DA&& dalpha) const {
    this->check_shapes("backward", x.derived(), "x", dx, "dx");
    this->check_shapes("backward", dy.derived(), "dy", dx, "dx");
    check_channels("backward", x.derived());
    const Eigen::Index c = channels();
    if ((dalpha.rows() != 1 && dalpha.cols() != 1) || dalpha.size() != c) {
      detail::fail(detail::entry_name<T>(name, "backward") + ": dalpha must be a vector of " + std::to_string(c) +
                   " (one per alpha), got " + detail::shape_text(dalpha.rows(), dalpha.cols()));
    }
    // The slope gradients first: dx may alias dy or x.
    using Wide = std::conditional_t<std::is_same<T, float>::value, double, T>;
    const Eigen::Index rows = x.rows(), cols = x.cols();
    const auto& xd = x.derived();
    const auto& gd = dy.derived();
    std::vector<T> sums(static_cast<std::size_t>(c));
    for (Eigen::Index j = 0; j < (c == 1 ? Eigen::Index(1) : cols); ++j) {
      // Terms that are NaN (a NaN input, or 0·∞) or infinite because an input is (x = −∞ or
      // dy = ±∞) are counted apart: they decide the sum whatever the finite terms. Finite terms go
      // into a Kahan sum; one that overflows (double only: dy·x beyond 2^1024), or one that would
      // make that sum overflow, goes instead, scaled by 2^−1024 (exactly), into a second Kahan sum,
      // so that no mixture of overflows gives NaN (found by tests/fuzz/fuzz_elementwise: (+∞) + (an
      // overflow to −∞), and overflows of both signs, gave NaN).
      Wide sum = 0, compensation = 0, high = 0, high_compensation = 0;
      bool nan = false, plus_infinity = false, minus_infinity = false;
      const Wide down = Wide(0x1p-512);  // 2^−1024 in two exact steps (|dy|, |x| ≥ 1 there)
      const Eigen::Index first = c == 1 ? 0 : j, last = c == 1 ? cols : j + 1;
      for (Eigen::Index k = first; k < last; ++k) {
        for (Eigen::Index i = 0; i < rows; ++i) {
          const T v = xd(i, k);
          if (v > T(0)) continue;
          const Wide g = static_cast<Wide>(gd(i, k)), term = g * static_cast<Wide>(v);
          if (std::isnan(term)) {
            nan = true;
          } else if (std::isinf(term)) {
            if (std::isinf(v) || std::isinf(g)) {
              plus_infinity = plus_infinity || term > 0;
              minus_infinity = minus_infinity || term < 0;
            } else {
              detail::kahan_add(high, high_compensation, (g * down) * (static_cast<Wide>(v) * down));
            }
          } else {
            Wide s = sum, e = compensation;
            detail::kahan_add(s, e, term);
            if (std::isfinite(s)) {
              sum = s;
              compensation = e;
            } else {  // |term| > 2^1023 · (something): its scaled value is exact
              detail::kahan_add(high, high_compensation, term * down * down);
            }
          }
        }
      }
      Wide total = detail::kahan_total(sum, compensation);
      if (nan || (plus_infinity && minus_infinity)) {
        total = std::numeric_limits<Wide>::quiet_NaN();
      } else if (plus_infinity || minus_infinity) {
        total = plus_infinity ? std::numeric_limits<Wide>::infinity() : -std::numeric_limits<Wide>::infinity();
      } else if (high != Wide(0) || high_compensation != Wide(0)) {
        // Beyond the range (±∞), or back within it after cancelling.
        total = ((high - high_compensation) + total * down * down) / down / down;
      }
      sums[static_cast<std::size_t>(j)] = static_cast<T>(total);
    }
    backward(x, dy, std::forward<DX>(dx));
    for (Eigen::Index j = 0; j < c; ++j) {
      if (dalpha.rows() == 1) {
        dalpha(0, j) = sums[static_cast<std::size_t>(j)];
      } else {
        dalpha(j, 0) = sums[static_cast<std::size_t>(j)];
      }
    }
  }

 private:
  template <class X>
  void check_channels(const char* entry, const X& x) const {
    if (x.rows() == 1 || x.cols() == 1) {
      if (channels() > 1 && x.size() > 0) {
        detail::fail(detail::entry_name<T>(name, entry) + ": a vector input x (" +
                     detail::shape_text(x.rows(), x.cols()) + ") takes a single alpha, but this PReLU has " +
                     std::to_string(channels()));
      }
      return;
    }
    if (channels() > 1 && x.cols() != channels()) {
      detail::fail(detail::entry_name<T>(name, entry) + ": x (" + detail::shape_text(x.rows(), x.cols()) + ") has " +
                   std::to_string(x.cols()) + " channels (columns) but alpha has " + std::to_string(channels()));
    }
  }

  // out(i, j) = body(in(i, j)..., alpha_j). Column-major outputs go column by column with alpha_j
  // broadcast; row-major ones row by row with the alphas as a contiguous operand.
  template <class Body, class Out, class... In>
  void per_channel(const Body& body, Out&& out, const In&... in) const {
    detail::with_storage(
        [&](auto& o, const auto&... i) {
          using O = std::decay_t<decltype(o)>;
          if constexpr (O::IsRowMajor) {
            const detail::broadcast_row<T> a{alphas.data(), o.rows(), o.cols()};
            detail::transform<T, detail::batches_per_iteration<PReLU, T>>(body, o, i..., a);
          } else {
            for (Eigen::Index j = 0; j < o.cols(); ++j) {
              const T a = alphas(j);
              auto column = o.col(j);
              auto with_alpha = [&body, a](const auto& first, const auto&... rest) {
                using V = std::decay_t<decltype(first)>;
                return body(first, rest..., V(a));
              };
              detail::transform<T, detail::batches_per_iteration<PReLU, T>>(with_alpha, column, i.col(j)...);
            }
          }
        },
        std::forward<Out>(out), in...);
  }
};

// A lazy Eigen expression applying PReLU elementwise, vectorized inside Eigen's own loop:
// activ::prelu(W * x + b) needs no temporary.
template <class D>
auto prelu(const Eigen::DenseBase<D>& x, typename D::Scalar alpha = typename D::Scalar(0.25)) {
  return x.derived().unaryExpr(PReLU<typename D::Scalar>{alpha});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(PReLU, 3)
