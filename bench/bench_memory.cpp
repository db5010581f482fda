// bench/bench_memory.cpp — the memory limit: how fast the machine moves the bytes an activation
// pass moves, with no arithmetic in the way.
//
//   memory/memcpy/<op>/<type>/<n>    std::memcpy
//   memory/scale_nt/<op>/<type>/<n>  y = 2x with non-temporal stores (_mm512_stream_ps/pd,
//                                    _mm256_stream_ps/pd or _mm_stream_ps/pd, the widest the
//                                    compile flags enable): the stores skip the read-for-ownership
//                                    of y that an ordinary store costs, so at 16M (DRAM) this is
//                                    the bandwidth ceiling of a streaming one-input kernel.
// op forward moves the bytes of a forward pass (2 arrays of n: n elements copied); op backward
// those of a backward pass (3 arrays of n: 3n/2 elements copied). Both count n items, so their
// Gelem/s compares directly with an activ case of the same op, type and n
// (tools/perf-report.py divides by it at 16M).
#include "common.hpp"
#include "registry.hpp"

#include <immintrin.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace bench {
namespace {

struct free_deleter {
  void operator()(void* p) const { std::free(p); }
};

// A 64-byte aligned buffer (non-temporal stores need aligned addresses) of n values in [−8, 8]
// (the values do not matter here; every page is written, so none is left unmapped).
template <class T>
std::unique_ptr<T[], free_deleter> aligned_buffer(Eigen::Index n) {
  const std::size_t bytes = (static_cast<std::size_t>(n) * sizeof(T) + 63) / 64 * 64;
  auto p = std::unique_ptr<T[], free_deleter>(static_cast<T*>(std::aligned_alloc(64, bytes)));
  for (Eigen::Index i = 0; i < n; ++i) p[i] = static_cast<T>(i % 17) - T(8);
  return p;
}

template <class T>
struct stream;

#if defined(__AVX512F__)
constexpr const char* stream_isa = "avx512f (_mm512_stream_ps/pd)";
template <>
struct stream<float> {
  static constexpr Eigen::Index width = 16;
  static void scale(const float* x, float* y) {
    const __m512 v = _mm512_load_ps(x);
    _mm512_stream_ps(y, _mm512_add_ps(v, v));
  }
};
template <>
struct stream<double> {
  static constexpr Eigen::Index width = 8;
  static void scale(const double* x, double* y) {
    const __m512d v = _mm512_load_pd(x);
    _mm512_stream_pd(y, _mm512_add_pd(v, v));
  }
};
#elif defined(__AVX__)
constexpr const char* stream_isa = "avx (_mm256_stream_ps/pd)";
template <>
struct stream<float> {
  static constexpr Eigen::Index width = 8;
  static void scale(const float* x, float* y) {
    const __m256 v = _mm256_load_ps(x);
    _mm256_stream_ps(y, _mm256_add_ps(v, v));
  }
};
template <>
struct stream<double> {
  static constexpr Eigen::Index width = 4;
  static void scale(const double* x, double* y) {
    const __m256d v = _mm256_load_pd(x);
    _mm256_stream_pd(y, _mm256_add_pd(v, v));
  }
};
#else
constexpr const char* stream_isa = "sse2 (_mm_stream_ps/pd)";
template <>
struct stream<float> {
  static constexpr Eigen::Index width = 4;
  static void scale(const float* x, float* y) {
    const __m128 v = _mm_load_ps(x);
    _mm_stream_ps(y, _mm_add_ps(v, v));
  }
};
template <>
struct stream<double> {
  static constexpr Eigen::Index width = 2;
  static void scale(const double* x, double* y) {
    const __m128d v = _mm_load_pd(x);
    _mm_stream_pd(y, _mm_add_pd(v, v));
  }
};
#endif

// The elements copied to move the bytes of `op` on n elements.
Eigen::Index copied(const std::string& op, Eigen::Index n) { return op == "forward" ? n : n / 2 * 3; }

template <class T>
void register_type() {
  for (const std::string op : {"forward", "backward"}) {
    add_elementwise<T>("memory", "memcpy", op, [op](benchmark::State& state, Eigen::Index n) {
      const Eigen::Index m = copied(op, n);
      const auto x = aligned_buffer<T>(m);
      auto y = aligned_buffer<T>(m);
      timed(state, y.get(), [&] { std::memcpy(y.get(), x.get(), static_cast<std::size_t>(m) * sizeof(T)); });
    });
    add_elementwise<T>("memory", "scale_nt", op, [op](benchmark::State& state, Eigen::Index n) {
      const Eigen::Index m = copied(op, n);
      const auto x = aligned_buffer<T>(m);
      auto y = aligned_buffer<T>(m);
      constexpr Eigen::Index w = stream<T>::width;
      timed(state, y.get(), [&] {
        const T* in = x.get();
        T* out = y.get();
        Eigen::Index i = 0;
        for (; i + w <= m; i += w) stream<T>::scale(in + i, out + i);
        for (; i < m; ++i) out[i] = in[i] + in[i];
        _mm_sfence();  // the streamed stores are done before the next pass reads or times them
      });
    });
  }
}

}  // namespace

void register_memory() {
  register_type<float>();
  register_type<double>();
}

std::vector<std::pair<std::string, std::string>> memory_context() { return {{"memory_nt_stores", stream_isa}}; }

}  // namespace bench
