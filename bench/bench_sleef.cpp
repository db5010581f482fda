// bench/bench_sleef.cpp — SLEEF 3.5 (Debian 12's libsleef-dev) as a peer: vector loops whose
// transcendental functions are SLEEF's 1.0-ULP ("u10") kernels at the widest vector width the
// compile flags enable (Sleef_*f16_u10avx512f / *d8_u10avx512f with AVX-512F; *_u10avx2,
// *_u10avx, *_u10sse4, *_u10sse2 below that), float and double, forward and backward:
//   sigmoid  1/(1 + exp(−x))                 backward dy·s(1 − s)
//   tanh     tanh(x)                         backward dy·(1 − t²)
//   elu      x > 0 ? x : α·expm1(x)          backward x > 0 ? dy : dy·α·exp(x)
//   selu     λ·elu with SELU's α             backward λ·(…)
//   softplus x > 20 ? x : log1p(exp(x))      backward x > 20 ? dy : dy/(1 + exp(−x))
//   swish    x/(1 + exp(−x))                 backward dy·(s + x·s(1 − s))
// The surrounding arithmetic (add, multiply, compare, blend) is xsimd's on the same registers;
// SLEEF is a function library, so this is the loop its user writes.
#include "common.hpp"
#include "registry.hpp"

#include <sleef.h>
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace bench {
namespace {

using FloatBatch = xsimd::batch<float>;
using DoubleBatch = xsimd::batch<double>;

// SLEEF's functions by register type, for the registers of xsimd's default (widest) arch.
#if defined(__AVX512F__)
constexpr const char* sleef_isa = "avx512f (Sleef_*f16_u10avx512f, Sleef_*d8_u10avx512f)";
#define ACTIV_SLEEF(function)                                                      \
  inline __m512 function(__m512 v) { return Sleef_##function##f16_u10avx512f(v); } \
  inline __m512d function(__m512d v) { return Sleef_##function##d8_u10avx512f(v); }
using FloatRegister = __m512;
using DoubleRegister = __m512d;
#elif defined(__AVX2__)
constexpr const char* sleef_isa = "avx2 (Sleef_*f8_u10avx2, Sleef_*d4_u10avx2)";
#define ACTIV_SLEEF(function)                                                  \
  inline __m256 function(__m256 v) { return Sleef_##function##f8_u10avx2(v); } \
  inline __m256d function(__m256d v) { return Sleef_##function##d4_u10avx2(v); }
using FloatRegister = __m256;
using DoubleRegister = __m256d;
#elif defined(__AVX__)
constexpr const char* sleef_isa = "avx (Sleef_*f8_u10avx, Sleef_*d4_u10avx)";
#define ACTIV_SLEEF(function)                                                 \
  inline __m256 function(__m256 v) { return Sleef_##function##f8_u10avx(v); } \
  inline __m256d function(__m256d v) { return Sleef_##function##d4_u10avx(v); }
using FloatRegister = __m256;
using DoubleRegister = __m256d;
#elif defined(__SSE4_1__)
constexpr const char* sleef_isa = "sse4 (Sleef_*f4_u10sse4, Sleef_*d2_u10sse4)";
#define ACTIV_SLEEF(function)                                                  \
  inline __m128 function(__m128 v) { return Sleef_##function##f4_u10sse4(v); } \
  inline __m128d function(__m128d v) { return Sleef_##function##d2_u10sse4(v); }
using FloatRegister = __m128;
using DoubleRegister = __m128d;
#else
constexpr const char* sleef_isa = "sse2 (Sleef_*f4_u10sse2, Sleef_*d2_u10sse2)";
#define ACTIV_SLEEF(function)                                                  \
  inline __m128 function(__m128 v) { return Sleef_##function##f4_u10sse2(v); } \
  inline __m128d function(__m128d v) { return Sleef_##function##d2_u10sse2(v); }
using FloatRegister = __m128;
using DoubleRegister = __m128d;
#endif

namespace sleef {
ACTIV_SLEEF(exp)
ACTIV_SLEEF(expm1)
ACTIV_SLEEF(log1p)
ACTIV_SLEEF(tanh)
}  // namespace sleef
#undef ACTIV_SLEEF

// (Compared by size: std::is_same on vector types trips GCC's -Wignored-attributes.)
static_assert(sizeof(FloatBatch) == sizeof(FloatRegister) && sizeof(DoubleBatch) == sizeof(DoubleRegister),
              "xsimd's default arch and SLEEF's vector width differ");

// A SLEEF function applied to a batch. (Not named exp, tanh, …: for a batch argument, ADL would
// prefer xsimd's own overloads.)
template <class B, class Function>
B apply(Function function, const B& v) {
  return B(function(static_cast<typename B::register_type>(v)));
}
template <class B>
B sleef_exp(const B& v) {
  return apply([](auto r) { return sleef::exp(r); }, v);
}
template <class B>
B sleef_expm1(const B& v) {
  return apply([](auto r) { return sleef::expm1(r); }, v);
}
template <class B>
B sleef_log1p(const B& v) {
  return apply([](auto r) { return sleef::log1p(r); }, v);
}
template <class B>
B sleef_tanh(const B& v) {
  return apply([](auto r) { return sleef::tanh(r); }, v);
}

// out[i] = body(in[i]…) over whole batches, then the last n mod W through zero-padded batches.
template <class T, std::size_t Inputs, class Body>
void loop(Eigen::Index n, const Body& body, T* out, const std::array<const T*, Inputs>& in) {
  using B = xsimd::batch<T>;
  constexpr Eigen::Index w = static_cast<Eigen::Index>(B::size);
  auto call = [&](auto load) {
    if constexpr (Inputs == 1) {
      return body(load(0));
    } else {
      return body(load(0), load(1));
    }
  };
  Eigen::Index i = 0;
  for (; i + w <= n; i += w) call([&](std::size_t k) { return B::load_unaligned(in[k] + i); }).store_unaligned(out + i);
  if (i < n) {
    alignas(64) T pad[Inputs][w] = {};
    alignas(64) T result[w];
    for (std::size_t k = 0; k < Inputs; ++k) std::copy(in[k] + i, in[k] + n, pad[k]);
    call([&](std::size_t k) { return B::load_aligned(pad[k]); }).store_aligned(result);
    std::copy(result, result + (n - i), out + i);
  }
}

// The math, over B = xsimd::batch<T>.
struct Sigmoid {
  template <class B>
  B forward(const B& x) const {
    using T = typename B::value_type;
    return B(T(1)) / (B(T(1)) + sleef_exp(-x));
  }
  template <class B>
  B backward(const B& x, const B& dy) const {
    using T = typename B::value_type;
    const B s = forward(x);
    return dy * s * (B(T(1)) - s);
  }
};
struct Tanh {
  template <class B>
  B forward(const B& x) const {
    return sleef_tanh(x);
  }
  template <class B>
  B backward(const B& x, const B& dy) const {
    using T = typename B::value_type;
    const B t = sleef_tanh(x);
    return dy * (B(T(1)) - t * t);
  }
};
struct Elu {
  double lambda, alpha;  // ELU: λ = 1; SELU: its constants
  template <class B>
  B forward(const B& x) const {
    using T = typename B::value_type;
    return B(T(lambda)) * xsimd::select(x > B(T(0)), x, B(T(alpha)) * sleef_expm1(x));
  }
  template <class B>
  B backward(const B& x, const B& dy) const {
    using T = typename B::value_type;
    return B(T(lambda)) * xsimd::select(x > B(T(0)), dy, dy * B(T(alpha)) * sleef_exp(x));
  }
};
struct Softplus {
  template <class B>
  B forward(const B& x) const {
    using T = typename B::value_type;
    return xsimd::select(x > B(T(20)), x, sleef_log1p(sleef_exp(x)));
  }
  template <class B>
  B backward(const B& x, const B& dy) const {
    using T = typename B::value_type;
    return xsimd::select(x > B(T(20)), dy, dy / (B(T(1)) + sleef_exp(-x)));
  }
};
struct Swish {
  template <class B>
  B forward(const B& x) const {
    using T = typename B::value_type;
    return x / (B(T(1)) + sleef_exp(-x));
  }
  template <class B>
  B backward(const B& x, const B& dy) const {
    using T = typename B::value_type;
    const B s = B(T(1)) / (B(T(1)) + sleef_exp(-x));
    return dy * (s + x * s * (B(T(1)) - s));
  }
};

template <class T, class Math>
void cases(const std::string& function, Math math) {
  add_elementwise<T>("sleef", function, "forward", [math](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    Column<T>& y = outputs<T>(n, 1);
    timed(state, y.data(),
          [&] { loop<T, 1>(n, [&](const xsimd::batch<T>& v) { return math.forward(v); }, y.data(), {x.data()}); });
  });
  add_elementwise<T>("sleef", function, "backward", [math](benchmark::State& state, Eigen::Index n) {
    const Column<T>& x = inputs<T>(n, 1);
    const Column<T>& dy = inputs<T>(n, 2);
    Column<T>& dx = outputs<T>(n, 1);
    timed(state, dx.data(), [&] {
      loop<T, 2>(n, [&](const xsimd::batch<T>& v, const xsimd::batch<T>& g) { return math.backward(v, g); }, dx.data(),
                 {x.data(), dy.data()});
    });
  });
}

template <class T>
void register_type() {
  cases<T>("sigmoid", Sigmoid{});
  cases<T>("tanh", Tanh{});
  cases<T>("elu", Elu{1.0, 1.0});
  cases<T>("selu", Elu{1.0507009873554804934193349852946, 1.6732632423543772848170429916717});
  cases<T>("softplus", Softplus{});
  cases<T>("swish", Swish{});
}

}  // namespace

void register_sleef() {
  register_type<float>();
  register_type<double>();
}

std::vector<std::pair<std::string, std::string>> sleef_context() { return {{"sleef_isa", sleef_isa}}; }

}  // namespace bench
