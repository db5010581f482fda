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

#if defined(ACTIV_OPENMP) && defined(_OPENMP)
#include <omp.h>
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
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

// Output runs of at least this many bytes are written with non-temporal stores: a result that
// large would only evict the caches it passes through, and streaming it skips the read of each
// line before the write. Define ACTIV_STREAM_BYTES to change it (0 disables streaming).
#ifndef ACTIV_STREAM_BYTES
#define ACTIV_STREAM_BYTES (std::size_t(8) << 20)
#endif

// Arrays of at least this many elements are split across OpenMP threads when the user compiles
// with OpenMP and defines ACTIV_OPENMP (docs/performance.md: 1 → 2 thread scaling).
#ifndef ACTIV_OPENMP_GRAIN
#define ACTIV_OPENMP_GRAIN (Index(1) << 16)
#endif

// Inline every call in the function's body (GCC, Clang); elsewhere the compiler decides.
#if defined(__GNUC__) || defined(__clang__)
#define ACTIV_FLATTEN __attribute__((flatten))
#else
#define ACTIV_FLATTEN
#endif

// A hot loop in a function of its own, everything in it inlined: apart from the code around it (a
// tail through a buffer, its memcpy calls), whose values otherwise compete for the loop's
// registers.
#if defined(__GNUC__) || defined(__clang__)
#define ACTIV_LOOP __attribute__((flatten, noinline))
#else
#define ACTIV_LOOP
#endif

#if ACTIV_HAS_SIMD
// A non-temporal store of a whole batch to an address aligned to its size, where the arch has one.
template <class B, class T>
inline void store_stream(const B& v, T* p) noexcept {
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
  constexpr bool single = std::is_same<T, float>::value;
#if XSIMD_WITH_AVX512F
  if constexpr (sizeof(B) == 64) {
    if constexpr (single) return _mm512_stream_ps(p, v);
    else return _mm512_stream_pd(p, v);
  }
#endif
#if XSIMD_WITH_AVX
  if constexpr (sizeof(B) == 32) {
    if constexpr (single) return _mm256_stream_ps(p, v);
    else return _mm256_stream_pd(p, v);
  }
#endif
#if XSIMD_WITH_SSE2
  if constexpr (sizeof(B) == 16) {
    if constexpr (single) return _mm_stream_ps(p, v);
    else return _mm_stream_pd(p, v);
  }
#endif
#endif
  v.store_aligned(p);
}

inline void stream_fence() noexcept {
#if (defined(__x86_64__) || defined(_M_X64) || defined(__i386__)) && XSIMD_WITH_SSE2
  _mm_sfence();
#endif
}

// The main loop over contiguous operands, Batches batches per iteration; with Stream, `out` is aligned
// and written with non-temporal stores. Returns how many elements it did (a multiple of W).
// A function of its own (ACTIV_LOOP): its pointers are then parameters that live in registers. Inlined
// into transform(), whose lambdas take the run operands by reference, GCC kept `out` in memory and,
// as a vector store may alias anything, reloaded it after every store of some instantiations; the
// core then ordered that load behind the store (RReLU's backward over 4096 floats: 6 cycles per
// batch, 2.4× slower than out of line; the fast hard-swish's derivative 1.4–1.8×).
// Flattened: the functor's body is inlined here whatever the compiler's size heuristics decide (in
// a translation unit with many kernels GCC 12 called it out of line, reloading its constants for
// every batch: 1.2–2× slower). Inlined, the iterations are independent and the core overlaps them
// by itself. A second batch per iteration (as before) measured the same at 4096 elements and up to
// 1.3× faster at 65536 for some backward cases (mostly ≤ 1.1×), but inlines each body twice more:
// 15 % more compile time for the test suite, which CI's time budget does not have. Bodies of a few
// operations (Batches = 2: the ReLU family, hard-swish, softsign; their copies cost little to
// compile) take two batches per iteration, both loaded and computed before either is stored: the
// loop's own three instructions (add, compare, branch) are then shared by two batches, where they
// were three of ReLU′'s ten. Zen 3 (2026-12-07), same-process pairs against one batch: 0.94-1.6x over
// 4096 floats (the larger gains, ReLU′ and softsign, while the machine ran other work), 0.97-1.27x
// over 65536; Google Benchmark over these functions' 72 float cases: geometric mean 1.05x, lowest
// 0.84x (double: 1.01x). Longer bodies keep one batch: two measured 0.7-0.95x for ELU and sigmoid.
template <class B, bool Stream, int Batches, class T, class Fn, class... P>
ACTIV_LOOP inline Index run_packed(const Fn& fn, Index n, T* out, const P*... in) {
  constexpr Index W = static_cast<Index>(B::size);
  auto store = [](const B& v, T* p) {
    if constexpr (Stream) {
      detail::store_stream(v, p);
    } else {
      v.store_unaligned(p);
    }
  };
  // The body as a local copy: its parameters (a slope, α, β) are then values that no store through
  // `out` can change, so they stay in registers. Through the reference, a float store could alias
  // a float member: GCC reloaded RReLU's bounds and recomputed its slope in every iteration (eval-
  // mode RReLU forward 1.55-1.68x faster, LeakyReLU forward 1.07-1.26x at 4096).
  const Fn body = fn;
  Index i = 0;
  if constexpr (Batches == 2) {
    for (; i + 2 * W <= n; i += 2 * W) {
      const B first = body(B::load_unaligned(in + i)...);
      const B second = body(B::load_unaligned(in + i + W)...);
      store(first, out + i);
      store(second, out + i + W);
    }
  }
  for (; i + W <= n; i += W) store(body(B::load_unaligned(in + i)...), out + i);
  if constexpr (Stream) detail::stream_fence();
  return i;
}
#endif

template <class T, int Batches, class Fn, std::size_t N, std::size_t... K>
inline void run(const Fn& fn, Index n, const run_operand<T>& out, const std::array<run_operand<const T>, N>& in,
                std::index_sequence<K...>) {
#if ACTIV_HAS_SIMD
  using B = default_batch<T>;
  constexpr Index W = static_cast<Index>(B::size);
  // Elements [from, to) W at a time through zero-padded aligned buffers (zero is a valid input to
  // every activation): the head before an aligned streaming run, the tail of a contiguous run, or
  // the whole of a strided one. The same batch body, so a value never depends on where it is.
  auto buffered = [&](Index from, Index to) {
    if (from >= to) return;
    alignas(xsimd::default_arch::alignment()) T buffers[N + 1][W];
    for (Index i = from; i < to; i += W) {
      const Index m = std::min(W, to - i);
      for (std::size_t k = 0; k < N; ++k) {
        for (Index j = 0; j < m; ++j) buffers[k][j] = in[k].data[(i + j) * in[k].stride];
        std::fill(buffers[k] + m, buffers[k] + W, T(0));
      }
      fn(B::load_aligned(buffers[K])...).store_aligned(buffers[N]);
      for (Index j = 0; j < m; ++j) out.data[(i + j) * out.stride] = buffers[N][j];
    }
  };
  const bool contiguous = out.stride == 1 && ((in[K].stride == 1) && ...);
  if (!contiguous) return buffered(0, n);
  Index head = 0;
  const bool stream = ACTIV_STREAM_BYTES > 0 && static_cast<std::size_t>(n) * sizeof(T) >= std::size_t(ACTIV_STREAM_BYTES);
  if (stream) {
    constexpr std::size_t alignment = sizeof(B);
    const std::size_t misaligned = reinterpret_cast<std::uintptr_t>(out.data) % alignment;
    if (misaligned % sizeof(T) == 0) {
      head = misaligned == 0 ? 0 : static_cast<Index>((alignment - misaligned) / sizeof(T));
      buffered(0, head);
      const Index done = run_packed<B, true, Batches>(fn, n - head, out.data + head, (in[K].data + head)...);
      return buffered(head + done, n);
    }
  }
  const Index done = run_packed<B, false, Batches>(fn, n, out.data, in[K].data...);
  buffered(done, n);
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
template <class T, int Batches = 1, class Fn, class Out, class... In>
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
    const Index n = rows * cols;
    auto chunk = [&](Index from, Index count) {
      std::array<run_operand<const T>, N> ins;
      for (std::size_t k = 0; k < N; ++k) ins[k] = {in_data[k] + from, 1};
      run<T, Batches>(fn, count, run_operand<T>{out.data() + from, 1}, ins, seq);
    };
#if defined(ACTIV_OPENMP) && defined(_OPENMP)
    if (n >= 2 * ACTIV_OPENMP_GRAIN && !omp_in_parallel()) {
      // Chunks of whole cache lines (1024 elements), as many as there are threads.
      const Index threads = static_cast<Index>(omp_get_max_threads());
      const Index per = ((n + threads - 1) / threads + 1023) / 1024 * 1024;
#pragma omp parallel for schedule(static)
      for (Index t = 0; t < threads; ++t) {
        const Index from = t * per;
        if (from < n) chunk(from, std::min(per, n - from));
      }
      return;
    }
#endif
    chunk(0, n);
    return;
  }
  for (Index j = 0; j < outer_n; ++j) {
    std::array<run_operand<const T>, N> ins;
    for (std::size_t k = 0; k < N; ++k) {
      ins[k] = {in_data[k] + j * in_strides[k][1 - inner], in_strides[k][inner]};
    }
    run<T, Batches>(fn, inner_n, run_operand<T>{out.data() + j * out_strides[1 - inner], out_strides[inner]}, ins, seq);
  }
}

}  // namespace detail
}  // namespace activ
