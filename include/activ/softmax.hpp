// activ/softmax.hpp — Softmax and LogSoftmax over the rows (default) or columns of any dense Eigen
// object; a vector is one distribution.
//   softmax:     y = e^(x − max) / Σ e^(x − max)          backward: dx = y ⊙ (dy − ⟨dy, y⟩)
//   log-softmax: y = x − max − log Σ e^(x − max)           backward: dx = dy − e^y ⊙ Σ dy
// The kernels (two passes, online normalizer, compensated sums) are in detail/online_softmax.hpp.
#pragma once

#include "detail/checks.hpp"
#include "detail/elementwise.hpp"
#include "detail/online_softmax.hpp"

#include <Eigen/Core>

namespace activ {

// Which way the distributions run: each row (batch × classes) or each column.
enum class Axis { rowwise, colwise };
inline constexpr Axis rowwise = Axis::rowwise;
inline constexpr Axis colwise = Axis::colwise;

namespace detail {

// The layout of one operand seen as `count` distributions of `length` elements: element k of
// distribution d is at data + d·between + k·along.
template <class P>
struct distributions {
  P* data;
  Index along;
  Index between;
};

template <class E>
auto distributions_of(E& e, bool along_columns) {
  const std::array<Index, 2> s = strides_of(e);
  using P = std::remove_reference_t<decltype(*e.data())>;
  return distributions<P>{e.data(), along_columns ? s[1] : s[0], along_columns ? s[0] : s[1]};
}

// Shared by Softmax (Log = false) and LogSoftmax (Log = true).
template <bool Log, class T, class Policy>
struct Normalizer {
  static_assert(is_policy_v<Policy>, "activ::Softmax<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr bool fast = is_fast_v<Policy>;
  static_assert(is_supported_scalar_v<T>, "activ::Softmax<T> / activ::LogSoftmax<T>: T must be float or double");
  static constexpr const char* name = Log ? "LogSoftmax" : "Softmax";
  using Scalar = T;

  Axis axis;

  explicit Normalizer(Axis axis_ = rowwise) : axis(axis_) {}

  // y = softmax(x) (or log-softmax) of each distribution.
  template <class X, class Y, std::enable_if_t<is_eigen_dense_v<Y>, int> = 0>
  void forward(const Eigen::DenseBase<X>& x, Y&& y) const {
    require_same_shape<T>(name, "forward", "x", x.derived(), "y", y);
    static_assert(std::is_same<typename X::Scalar, T>::value, "activ: x must have the functor's scalar type T");
    with_storage([self = this](auto& out, const auto& in) { self->forward_addressable(in, out); }, std::forward<Y>(y),
                 x.derived());
  }

  template <class X>
  typename X::PlainObject forward(const Eigen::DenseBase<X>& x) const {
    typename X::PlainObject y(x.rows(), x.cols());
    forward(x, y);
    return y;
  }

  // From the output y of forward and the gradient dy of the loss with respect to y.
  template <class Y, class DY, class DX, std::enable_if_t<is_eigen_dense_v<DX>, int> = 0>
  void backward(const Eigen::DenseBase<Y>& y, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    require_same_shape<T>(name, "backward", "y", y.derived(), "dx", dx);
    require_same_shape<T>(name, "backward", "dy", dy.derived(), "dx", dx);
    with_storage([self = this](auto& out, const auto& yy, const auto& g) { self->backward_addressable(yy, g, out); },
                 std::forward<DX>(dx), y.derived(), dy.derived());
  }

  // The Jacobian ∂y/∂x of one distribution, from its output y (a vector):
  // softmax diag(y) − y·yᵀ, log-softmax I − 1·(e^y)ᵀ.
  template <class Y>
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> jacobian(const Eigen::DenseBase<Y>& y) const {
    if (y.rows() != 1 && y.cols() != 1) {
      fail(entry_name<T>(name, "jacobian") + ": y must be one distribution (a vector), got " +
           shape_text(y.rows(), y.cols()));
    }
    const Index n = y.size();
    Eigen::Matrix<T, Eigen::Dynamic, 1> v(n);
    for (Index i = 0; i < n; ++i) v(i) = y.rows() == 1 ? y.derived()(0, i) : y.derived()(i, 0);
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> J(n, n);
    if constexpr (Log) {
      const Eigen::Matrix<T, Eigen::Dynamic, 1> p = v.array().unaryExpr([](T t) { return detail::exp(t); });
      J = -Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(n) * p.transpose();
      J.diagonal().array() += T(1);
    } else {
      J = -v * v.transpose();
      J.diagonal() += v;
    }
    return J;
  }

 private:
  // How a rows × cols operand splits into distributions: `count` of `length` elements, running
  // along columns (rowwise, or a row vector) or along rows. A vector is one distribution.
  struct split {
    bool along_columns;
    Index length;
    Index count;
  };
  split split_of(Index rows, Index cols) const {
    const bool along = rows == 1 || (cols != 1 && axis == rowwise);
    return {along, along ? cols : rows, (rows == 1 || cols == 1) ? 1 : (along ? rows : cols)};
  }

  template <class X, class Y>
  void forward_addressable(const X& x, Y& y) const {
    if (y.size() == 0) return;
    const auto [along, length, count] = split_of(y.rows(), y.cols());
    const auto in = distributions_of(x, along);
    const auto out = distributions_of(y, along);
#if ACTIV_HAS_SIMD
    constexpr Index W = static_cast<Index>(default_batch<T>::size);
    if (in.along == 1 && out.along == 1) {
      for (Index d = 0; d < count; ++d)
        softmax_contiguous<Log, fast>(in.data + d * in.between, out.data + d * out.between, length);
      return;
    }
    if (count > 1 && in.between == 1 && out.between == 1) {
      for (Index d = 0; d < count; d += W) {
        softmax_lanes<Log, fast>(in.data + d, in.along, out.data + d, out.along, length, std::min(W, count - d));
      }
      return;
    }
#endif
    for (Index d = 0; d < count; ++d) {
      softmax_scalar<Log, fast>(in.data + d * in.between, in.along, out.data + d * out.between, out.along, length);
    }
  }

  template <class Y, class DY, class DX>
  void backward_addressable(const Y& y, const DY& dy, DX& dx) const {
    if (dx.size() == 0) return;
    // The policy reaches log-softmax's exponential; softmax's backward has none (one instantiation).
    constexpr bool fast_exp = Log && fast;
    const auto [along, length, count] = split_of(dx.rows(), dx.cols());
    const auto a = distributions_of(y, along);
    const auto g = distributions_of(dy, along);
    const auto out = distributions_of(dx, along);
#if ACTIV_HAS_SIMD
    constexpr Index W = static_cast<Index>(default_batch<T>::size);
    if (a.along == 1 && g.along == 1 && out.along == 1) {
      for (Index d = 0; d < count; ++d) {
        softmax_backward_contiguous<Log, fast_exp>(a.data + d * a.between, g.data + d * g.between,
                                                   out.data + d * out.between, length);
      }
      return;
    }
    if (count > 1 && a.between == 1 && g.between == 1 && out.between == 1) {
      Index d = 0;
      for (; d + 4 * W <= count; d += 4 * W) {
        softmax_backward_lanes4<Log, fast_exp>(a.data + d, a.along, g.data + d, g.along, out.data + d, out.along,
                                               length);
      }
      for (; d < count; d += W) {
        softmax_backward_lanes<Log, fast_exp>(a.data + d, a.along, g.data + d, g.along, out.data + d, out.along, length,
                                              std::min(W, count - d));
      }
      return;
    }
#endif
    for (Index d = 0; d < count; ++d) {
      softmax_backward_scalar<Log, fast_exp>(a.data + d * a.between, a.along, g.data + d * g.between, g.along,
                                             out.data + d * out.between, out.along, length);
    }
  }
};

}  // namespace detail

// Softmax over rows (activ::rowwise, the default: batch × classes) or columns (activ::colwise).
template <class T, class Policy>
struct Softmax : detail::Normalizer<false, T, Policy> {
  using detail::Normalizer<false, T, Policy>::Normalizer;
  Softmax() : detail::Normalizer<false, T, Policy>(rowwise) {}
};

// log-softmax, the numerically preferable input of a cross-entropy loss.
template <class T, class Policy>
struct LogSoftmax : detail::Normalizer<true, T, Policy> {
  using detail::Normalizer<true, T, Policy>::Normalizer;
  LogSoftmax() : detail::Normalizer<true, T, Policy>(rowwise) {}
};

}  // namespace activ
