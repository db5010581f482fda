// activ/detail/transform.hpp — the one loop of the library.
//
// transform<T>(fn, out, in...) sets out(i, j) = fn(in(i, j)...) for every element, where fn is a
// generic body called on xsimd batches (or on scalars when SIMD is off). It knows storage and
// nothing of the math; the functors know math and nothing of storage.
//
// Operands are described by a pointer and a stride per logical dimension, so Array, Matrix, Map,
// Ref and blocks of either storage order are all alike to it. The walk follows the output's memory
// order:
//   * every operand contiguous over the whole extent: one run over rows·cols elements;
//   * every operand contiguous along the inner dimension: one run per outer index;
//   * otherwise: W elements at a time gathered into aligned buffers, computed, scattered back.
// The last n mod W elements of a run go through the same batch body via a zero-padded buffer, so a
// result never depends on its position or on n. Each block is loaded before it is stored, which
// makes exact aliasing of an output with an input (in-place use) safe.
#pragma once

#include "simd.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

namespace activ {
namespace detail {

using Index = Eigen::Index;

// One operand of a run: where it starts and the distance between consecutive elements.
template <class P>
struct run_operand {
  P* data;
  Index stride;
};

#if ACTIV_HAS_SIMD
template <class T>
using default_batch = xsimd::batch<T, xsimd::default_arch>;
#endif

#if ACTIV_HAS_SIMD
// The main loop over contiguous operands, two independent batches per iteration to hide the
// latency of the longer bodies. The pointers arrive by value, so the compiler knows that the stores
// through `out` cannot change them. Returns how many elements it did (a multiple of W).
template <class B, class T, class Fn, class... P>
inline Index run_packed(const Fn& fn, Index n, T* out, const P*... in) {
  constexpr Index W = static_cast<Index>(B::size);
  Index i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    const B first = fn(B::load_unaligned(in + i)...);
    const B second = fn(B::load_unaligned(in + i + W)...);
    first.store_unaligned(out + i);
    second.store_unaligned(out + i + W);
  }
  for (; i + W <= n; i += W) {
    fn(B::load_unaligned(in + i)...).store_unaligned(out + i);
  }
  return i;
}
#endif

template <class T, class Fn, std::size_t N, std::size_t... K>
inline void run(const Fn& fn, Index n, const run_operand<T>& out, const std::array<run_operand<const T>, N>& in,
                std::index_sequence<K...>) {
#if ACTIV_HAS_SIMD
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  const bool contiguous = out.stride == 1 && ((in[K].stride == 1) && ...);
  Index i = contiguous ? run_packed<B>(fn, n, out.data, in[K].data...) : 0;
  // The tail of a contiguous run, or the whole of a strided one, W elements at a time through
  // zero-padded aligned buffers (zero is a valid input to every activation).
  alignas(xsimd::default_arch::alignment()) T buffers[N + 1][W] = {};
  for (; i < n; i += W) {
    const Index m = std::min(W, n - i);
    for (std::size_t k = 0; k < N; ++k) {
      for (Index j = 0; j < m; ++j) buffers[k][j] = in[k].data[(i + j) * in[k].stride];
      std::fill(buffers[k] + m, buffers[k] + W, T(0));
    }
    fn(B::load_aligned(buffers[K])...).store_aligned(buffers[N]);
    for (Index j = 0; j < m; ++j) out.data[(i + j) * out.stride] = buffers[N][j];
  }
#else
  for (Index i = 0; i < n; ++i) out.data[i * out.stride] = fn(in[K].data[i * in[K].stride]...);
#endif
}

// A rows × cols operand whose every row is the same contiguous vector (row stride 0): per-channel
// parameters broadcast over the samples of a row-major input.
template <class T>
struct broadcast_row {
  static constexpr bool IsRowMajor = true;
  const T* values;
  Index row_count;
  Index col_count;
  const T* data() const { return values; }
  Index rows() const { return row_count; }
  Index cols() const { return col_count; }
  Index innerStride() const { return 1; }
  Index outerStride() const { return 0; }
};

// Strides of an Eigen object per logical dimension: {along rows (i), along columns (j)}.
template <class E>
std::array<Index, 2> strides_of(const E& e) {
  const Index inner = e.innerStride();
  const Index outer = e.outerStride();
  return E::IsRowMajor ? std::array<Index, 2>{outer, inner} : std::array<Index, 2>{inner, outer};
}

// The driver. `out` and every `in` have the same shape (checked by the caller) and direct access.
template <class T, class Fn, class Out, class... In>
void transform(const Fn& fn, Out& out, const In&... in) {
  constexpr std::size_t N = sizeof...(In);
  const Index rows = out.rows();
  const Index cols = out.cols();
  if (rows == 0 || cols == 0) return;
  // The inner dimension: the longer one of a vector, else the output's memory order.
  const int inner = (rows == 1 || (cols != 1 && Out::IsRowMajor)) ? 1 : 0;
  const Index inner_n = inner == 1 ? cols : rows;
  const Index outer_n = inner == 1 ? rows : cols;
  const std::array<Index, 2> out_strides = strides_of(out);
  const std::array<const T*, N> in_data = {in.data()...};
  const std::array<std::array<Index, 2>, N> in_strides = {strides_of(in)...};

  // Whole extent contiguous in every operand: one run.
  auto packed = [&](const std::array<Index, 2>& s) {
    return s[inner] == 1 && (outer_n == 1 || s[1 - inner] == inner_n);
  };
  bool all_packed = packed(out_strides);
  for (const auto& s : in_strides) all_packed = all_packed && packed(s);
  const auto seq = std::make_index_sequence<N>{};
  if (all_packed) {
    std::array<run_operand<const T>, N> ins;
    for (std::size_t k = 0; k < N; ++k) ins[k] = {in_data[k], 1};
    run<T>(fn, rows * cols, run_operand<T>{out.data(), 1}, ins, seq);
    return;
  }
  for (Index j = 0; j < outer_n; ++j) {
    std::array<run_operand<const T>, N> ins;
    for (std::size_t k = 0; k < N; ++k) {
      ins[k] = {in_data[k] + j * in_strides[k][1 - inner], in_strides[k][inner]};
    }
    run<T>(fn, inner_n, run_operand<T>{out.data() + j * out_strides[1 - inner], out_strides[inner]}, ins, seq);
  }
}

}  // namespace detail
}  // namespace activ
