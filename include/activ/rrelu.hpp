// activ/rrelu.hpp — RReLU (Xu et al., "Empirical evaluation of rectified activations in
// convolutional network", 2015). Eval mode (forward, derivative, backward): LeakyReLU with slope
// s = (lower + upper)/2 (f′(0) = s), as PyTorch's RReLU when not training. Training
// (forward_train, backward_train): a slope a ~ U(lower, upper) per element with x ≤ 0.
#pragma once

#include "detail/counter_rng.hpp"
#include "leaky_relu.hpp"

#include <array>
#include <cstdint>

namespace activ {

template <class T, class Policy>
struct RReLU : detail::Elementwise<RReLU<T, Policy>, T> {
  static_assert(detail::is_supported_scalar_v<T>, "activ::RReLU<T>: T must be float or double");
  static_assert(detail::is_policy_v<Policy>, "activ::RReLU<T, Policy>: Policy must be activ::accurate or activ::fast");
  static constexpr const char* name = "RReLU";

  T lower;
  T upper;

  explicit RReLU(T lower_ = T(1) / T(8), T upper_ = T(1) / T(3)) : lower(lower_), upper(upper_) {
    detail::require_finite(name, "lower", lower);
    detail::require_finite(name, "upper", upper);
    if (lower > upper) {
      detail::fail(detail::constructor_name<T>(name) + ": parameter lower must not exceed upper, got lower = " +
                   detail::to_text(lower) + ", upper = " + detail::to_text(upper));
    }
  }

  // The eval-mode slope, rounded once. Halving each bound first keeps the sum finite for any
  // finite bounds (and is exact unless a bound is subnormal).
  T slope() const { return lower / T(2) + upper / T(2); }

  template <class V>
  V eval(const V& x) const {
    if constexpr (detail::is_fast_v<Policy>) return detail::leaky(x, slope());
    return detail::leaky(x, exact_slope());  // x·(l + u)/2 rounded once, not x·fl((l + u)/2)
  }
  template <class V>
  V eval_derivative(const V& x) const {
    return detail::leaky_derivative(x, slope());
  }
  // With s ≥ 0, y > 0 exactly where x > 0: f′ = y > 0 ? 1 : s.
  template <class V>
  V eval_derivative_from_output(const V& y) const {
    return detail::leaky_derivative(y, slope());
  }
  void check_from_output(const char* entry) const {
    if (!(slope() >= T(0))) {
      detail::fail_from_output<T>(
          name, entry,
          ("(lower + upper)/2 (lower = " + detail::to_text(lower) + ", upper = " + detail::to_text(upper) + ")")
              .c_str(),
          slope());
    }
  }

  // Training forward: y = x > 0 ? x : a·x with a ~ U(lower, upper), and noise = the slope used at
  // every element (1 where x > 0). Element (i, j) draws its slope from (seed, i·cols + j), its
  // position in row-major order, so the noise is the same for every storage order, SIMD arch,
  // build and thread count. Outputs may alias x exactly.
  template <class X, class Y, class N,
            std::enable_if_t<detail::is_eigen_dense_v<Y> && detail::is_eigen_dense_v<N>, int> = 0>
  void forward_train(const Eigen::DenseBase<X>& x, Y&& y, N&& noise, std::uint64_t seed) const {
    this->check_shapes("forward_train", x.derived(), "x", y, "y");
    this->check_shapes("forward_train", x.derived(), "x", noise, "noise");
    const Eigen::Index rows = x.rows(), cols = x.cols();
    if (rows == 0 || cols == 0) return;
    // Directly on the operands when all three are stored whole and contiguous in one memory order
    // and overlap one another only exactly: sample() reads each block of x before it writes that
    // block of y and noise, so in-place use is safe. Otherwise plain copies in y's storage order:
    // x may then overlap an output partially, and the index of an element must not depend on where
    // it is stored.
    if constexpr (detail::has_direct_access_v<X> && detail::has_direct_access_v<std::decay_t<Y>> &&
                  detail::has_direct_access_v<std::decay_t<N>>) {
      const auto& xd = x.derived();
      const bool vector = rows == 1 || cols == 1;
      const bool row_major = rows == 1 || (!vector && std::decay_t<Y>::IsRowMajor);
      const bool same_order =
          vector || (X::IsRowMajor == std::decay_t<Y>::IsRowMajor && X::IsRowMajor == std::decay_t<N>::IsRowMajor);
      if (same_order && whole(xd, row_major) && whole(y, row_major) && whole(noise, row_major) &&
          !detail::overlaps_inexactly(y, xd) && !detail::overlaps_inexactly(noise, xd) &&
          !detail::overlaps_inexactly(noise, y)) {
        return sample(xd.data(), y.data(), noise.data(), rows, cols, row_major, seed);
      }
    }
    using P = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic,
                           std::decay_t<Y>::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor>;
    const P input = x.derived().array();
    P values(rows, cols), slopes(rows, cols);
    sample(input.data(), values.data(), slopes.data(), rows, cols, bool(P::IsRowMajor), seed);
    y.array() = values;
    noise.array() = slopes;
  }

  // Training backward: dx = dy ⊙ noise.
  template <class N, class DY, class DX, std::enable_if_t<detail::is_eigen_dense_v<DX>, int> = 0>
  void backward_train(const Eigen::DenseBase<N>& noise, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    this->check_shapes("backward_train", noise.derived(), "noise", dx, "dx");
    this->check_shapes("backward_train", dy.derived(), "dy", dx, "dx");
    this->apply([](const auto& a, const auto& g) { return g * a; }, std::forward<DX>(dx), noise.derived(),
                dy.derived());
  }

 private:
  // Slopes in [lower, upper] from uniforms u ∈ [0, 1): lower + (upper − lower)·u evaluated as
  // (lower + p) + e with p + e = d·u exactly, so that no compiler contraction or FMA policy can
  // change a bit of it.
  // (lower + upper)/2 as a double-word value.
  detail::dw<T> exact_slope() const { return detail::two_sum(lower / T(2), upper / T(2)); }

  template <class V>
  V slope_from(const V& u) const {
    const auto product = detail::two_product(V(upper - lower), u);
    const V a = (V(lower) + product.hi) + product.lo;
    return detail::select(a > V(upper), V(upper), detail::select(a < V(lower), V(lower), a));
  }

  // Whether e's elements fill one contiguous run in the given memory order.
  template <class E>
  static bool whole(const E& e, bool row_major) {
    const std::array<Eigen::Index, 2> s = detail::strides_of(e);
    const int inner = row_major ? 1 : 0;
    const Eigen::Index inner_n = row_major ? e.cols() : e.rows();
    const Eigen::Index outer_n = row_major ? e.rows() : e.cols();
    return (inner_n == 1 || s[inner] == 1) && (outer_n == 1 || s[1 - inner] == inner_n);
  }

  // The walk over contiguous rows × cols storage in one memory order: position p holds element
  // (i, j), whose slope comes from index i·cols + j of the noise stream. Every block of `in` is read
  // before that block of `y` and `noise` is written (both may be `in` itself).
  void sample(const T* in, T* y, T* noise, Eigen::Index rows, Eigen::Index cols, bool row_major,
              std::uint64_t seed) const {
    const detail::noise_key key = detail::make_noise_key(seed);
    const Eigen::Index n = rows * cols;
    auto logical = [&](Eigen::Index p) -> std::uint64_t {
      const Eigen::Index i = row_major ? p / cols : p % rows;
      const Eigen::Index j = row_major ? p % cols : p / rows;
      return static_cast<std::uint64_t>(i) * static_cast<std::uint64_t>(cols) + static_cast<std::uint64_t>(j);
    };
#if ACTIV_HAS_SIMD
    using B = detail::default_batch<T>;
    using U = xsimd::batch<std::uint32_t, xsimd::default_arch>;
    constexpr Eigen::Index W = static_cast<Eigen::Index>(B::size);
    constexpr std::size_t L = U::size;  // 32-bit lanes: W for float, 2W for double
    alignas(xsimd::default_arch::alignment()) std::uint32_t lo[L], hi[L], stream[L];
    for (std::size_t l = 0; l < L; ++l) stream[l] = (sizeof(T) == 8 && l % 2 == 1) ? key.k2 : key.k1;
    const U k0(key.k0), ks = U::load_aligned(stream);
    alignas(xsimd::default_arch::alignment()) T buffer[W];
    for (Eigen::Index p = 0; p < n; p += W) {
      const Eigen::Index m = std::min(W, n - p);
      for (std::size_t l = 0; l < L; ++l) {
        const Eigen::Index element = static_cast<Eigen::Index>(sizeof(T) == 8 ? l / 2 : l);
        const std::uint64_t index = element < m ? logical(p + element) : 0;
        lo[l] = static_cast<std::uint32_t>(index);
        hi[l] = static_cast<std::uint32_t>(index >> 32);
      }
      const U h = detail::hash32(U::load_aligned(lo), U::load_aligned(hi), k0, ks);
      B u;
      if constexpr (std::is_same<T, float>::value) {
        u = xsimd::bitwise_cast<B>((h >> 9) | U(0x3f800000U)) - B(1.0f);
      } else {
        using U64 = xsimd::batch<std::uint64_t, xsimd::default_arch>;
        const U64 bits = xsimd::bitwise_cast<U64>(h);
        u = xsimd::bitwise_cast<B>((bits >> 12) | U64(0x3ff0000000000000ULL)) - B(1.0);
      }
      std::fill(buffer, buffer + W, T(0));
      std::copy(in + p, in + p + m, buffer);
      const B v = B::load_aligned(buffer);
      const B a = detail::select(v > B(T(0)), B(T(1)), slope_from(u));
      detail::slope_times(a, v).store_aligned(buffer);  // a sampled 0 at x = −∞ gives 0
      std::copy(buffer, buffer + m, y + p);
      a.store_aligned(buffer);
      std::copy(buffer, buffer + m, noise + p);
    }
#else
    for (Eigen::Index p = 0; p < n; ++p) {
      const std::uint64_t index = logical(p);
      const std::uint32_t lo = static_cast<std::uint32_t>(index), hi = static_cast<std::uint32_t>(index >> 32);
      T u;
      const std::uint32_t h = detail::hash32(lo, hi, key.k0, key.k1);
      if constexpr (std::is_same<T, float>::value) {
        u = detail::from_bits<float>(static_cast<std::int32_t>((h >> 9) | 0x3f800000U)) - 1.0f;
      } else {
        const std::uint64_t h2 = detail::hash32(lo, hi, key.k0, key.k2);
        const std::uint64_t bits = (static_cast<std::uint64_t>(h) | (h2 << 32)) >> 12;
        u = detail::from_bits<double>(static_cast<std::int64_t>(bits | 0x3ff0000000000000ULL)) - 1.0;
      }
      const T v = in[p];
      const T a = v > T(0) ? T(1) : slope_from(u);
      y[p] = detail::slope_times(a, v);
      noise[p] = a;
    }
#endif
  }
};

// A lazy Eigen expression applying RReLU elementwise, vectorized inside Eigen's own loop:
// activ::rrelu(W * x + b) needs no temporary.
template <class D>
auto rrelu(const Eigen::DenseBase<D>& x, typename D::Scalar lower = typename D::Scalar(1.0 / 8),
           typename D::Scalar upper = typename D::Scalar(1.0 / 3)) {
  return x.derived().unaryExpr(RReLU<typename D::Scalar>{lower, upper});
}

}  // namespace activ

ACTIV_EIGEN_FUNCTOR_TRAITS(RReLU, 3)
