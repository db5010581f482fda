// tests/harness.hpp — one check of an elementwise functor on every path of the contract.
//
// check_elementwise(f, ref) evaluates f and f′ on a dense grid over [−30, 30] (step 1/64, which
// hits every kink), on the special values and on random inputs, through
//   the scalar call, the batch call of every SIMD arch this build supports, and the Eigen entry
//   points (contiguous, strided, mixed storage orders, Map with a stride, in place, every tail
//   length), plus backward with a random dy,
// and measures each result in ULP against the long double reference (reference.hpp). It also
// checks the reference derivative against a central finite difference of the reference function.
// The worst error per path and quantity must stay within the bounds below.
#pragma once

#include "reference.hpp"
#include "ulp.hpp"

#include <activ/activ.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Core>
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

// The expression throws std::invalid_argument whose message matches the matcher.
#define CHECK_INVALID(expression, matcher)              \
  do {                                                  \
    CHECK_THROWS_AS(expression, std::invalid_argument); \
    CHECK_THROWS_WITH(expression, matcher);             \
  } while (false)

namespace harness {

using reference::real;

// The x86 archs the unit tests skip unless built with ACTIV_TEST_EVERY_ARCH: each has the register
// width and the FMA of a tested neighbour and adds no instruction activ's kernels depend on (sse3,
// ssse3, sse4_1 beside sse4_2; fma3<sse4_2> and fma3<avx> beside fma3<avx2>; avx2 beside avx and
// fma3<avx2>; avx512cd and avx512dq between avx512f and avx512bw). Tested: sse2, sse4_2, avx,
// fma3<avx2>, avx512f, avx512bw, and every ARM arch. sweep_reduced (--arch all) still compares every
// arch of the build with the scalar path, bit for bit. Each skipped arch cost the per-arch test
// binaries about a twentieth of their compile time.
template <class A>
constexpr bool skipped_arch() {
#ifdef ACTIV_TEST_EVERY_ARCH
  return false;
#else
  return std::is_same<A, xsimd::sse3>::value || std::is_same<A, xsimd::ssse3>::value ||
         std::is_same<A, xsimd::sse4_1>::value || std::is_same<A, xsimd::fma3<xsimd::sse4_2>>::value ||
         std::is_same<A, xsimd::fma3<xsimd::avx>>::value || std::is_same<A, xsimd::avx2>::value ||
         std::is_same<A, xsimd::avx512cd>::value || std::is_same<A, xsimd::avx512dq>::value;
#endif
}

// Calls fn(arch) for every xsimd arch of this build that has batches of T, that this CPU runs and
// that skipped_arch does not name.
// On AArch64 xsimd 8.1 lists the 32-bit ARM arch neon as well as neon64, and neon has no double
// batches (batch<double, neon> is declared, over an empty invalid_register: size 0, no kernels).
template <class T, class Fn>
void for_each_arch(Fn&& fn) {
  xsimd::supported_architectures::for_each([&](auto arch) {
    using A = decltype(arch);
    if constexpr (xsimd::batch<T, A>::size > 0 && !skipped_arch<A>()) {
      if (std::string(A::name()) == "fma4" && !xsimd::available_architectures().fma4) return;
      fn(arch);
    }
  });
}

template <class T>
constexpr T nan = std::numeric_limits<T>::quiet_NaN();
template <class T>
constexpr T inf = std::numeric_limits<T>::infinity();

// The documented bounds, in ULP of the reference value (docs/accuracy.md).
struct Bounds {
  double forward;
  double derivative;
  double backward;  // f′'s bound plus the rounding of dy·f′
};
constexpr Bounds accurate_bounds{1, 2, 2.5};
constexpr Bounds fast_bounds{5, 5, 6};

// The error of `got` in units of the reference's ULP in T, as ulp.hpp defines it for the unit tests
// and the sweep alike (subnormal results in units of the subnormal spacing); `floor` (where f′
// crosses zero) is a lower limit on the unit.
template <class T>
double ulp_error(T got, real ref, real floor = 0) {
  return ulp::error<T>(got, ref, floor);
}

template <class T>
real crossing_floor(const reference::Function& ref, real x) {
  if (!ref.df_terms || std::isnan(x)) return 0;
  return std::numeric_limits<T>::epsilon() * ref.df_terms(x) / 2;
}

// The worst error seen for one quantity on one path, and where.
struct Worst {
  double ulp = 0;
  real x = 0;
  double got = 0;
  real expected = 0;
  void add(double error, real at, double value, real ref) {
    if (!(error <= ulp)) {  // NaN errors count as the worst
      ulp = error;
      x = at;
      got = value;
      expected = ref;
    }
  }
  std::string where() const {
    char text[160];
    std::snprintf(text, sizeof text, "worst %.3g ULP at x = %.21Lg: got %.17g, expected %.21Lg", ulp, x, got, expected);
    return text;
  }
};

template <class T>
std::vector<T> special_values() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {
      T(0),         -T(0),           L::infinity(),    -L::infinity(), L::quiet_NaN(), T(88.7),   T(-88.7),
      T(89),        T(-89),          T(-104),          T(104),         T(88.72),       T(-87.5),  T(-103.9),
      T(-150),      T(709.78),       T(-709.78),       T(710),         T(-745),        T(-746),   L::min(),
      -L::min(),    L::denorm_min(), -L::denorm_min(), L::min() / 3,   -L::min() / 7,  L::max(),  -L::max(),
      L::epsilon(), -L::epsilon(),   T(1e-8),          T(-1e-8),       T(1e-20),       T(-1e-20), T(3),
      T(-3),        T(20),           T(-20),           T(37),          T(1e15),        T(-1e15),  T(1e30),
      T(-1e30)};
  for (T x = T(0.25); x < T(1e30); x *= T(3.7)) {
    v.push_back(x);
    v.push_back(-x);
  }
  return v;
}

template <class T>
std::vector<T> test_inputs() {
  std::vector<T> v;
  for (int k = -30 * 64; k <= 30 * 64; ++k) v.push_back(static_cast<T>(k) / T(64));
  const std::vector<T> special = special_values<T>();
  v.insert(v.end(), special.begin(), special.end());
  std::mt19937_64 rng(20261122);
  std::uniform_real_distribution<double> wide(-50, 50), exponent(-30, 30);
  for (int i = 0; i < 2000; ++i) v.push_back(static_cast<T>(wide(rng)));
  for (int i = 0; i < 1000; ++i) {
    const T magnitude = static_cast<T>(std::pow(10.0, exponent(rng)));
    v.push_back(i % 2 ? magnitude : -magnitude);
  }
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  for (int i = 0; i < 1000; ++i) {  // any bit pattern, NaNs included
    const U bits = static_cast<U>(rng());
    T x;
    std::memcpy(&x, &bits, sizeof x);
    v.push_back(x);
  }
  return v;
}

// ±t/β for t from 0 to 120 in steps of 1/16: where β·x spans the range of eˣ, for a huge β the
// inputs whose results fall in and below the subnormal range.
template <class T>
std::vector<T> over_beta(T beta) {
  std::vector<T> v;
  for (int i = 0; i <= 120 * 16; ++i) {
    v.push_back(static_cast<T>(i) / T(16) / beta);
    v.push_back(-static_cast<T>(i) / T(16) / beta);
  }
  return v;
}

template <class T>
struct Expected {
  std::vector<T> x, dy;
  std::vector<real> f, df, floor;
};

template <class T>
Expected<T> expected_values(const reference::Function& ref, const std::vector<T>& extra) {
  Expected<T> e;
  e.x = test_inputs<T>();
  e.x.insert(e.x.end(), extra.begin(), extra.end());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> gradient(-2, 2);
  for (T x : e.x) {
    e.f.push_back(ref.f(x));
    e.df.push_back(ref.df(x));
    e.floor.push_back(crossing_floor<T>(ref, x));
    e.dy.push_back(static_cast<T>(gradient(rng)));
  }
  return e;
}

// Results of one path for every input: forward, derivative and (optionally) backward.
template <class T>
struct Results {
  std::vector<T> f, df, dx;
};

inline void report(const std::string& label, const std::string& path, const char* quantity, const Worst& worst) {
  if (std::getenv("ACTIV_REPORT_ULP")) {  // one line per measurement, for tools/ulp-report.sh
    std::string name = label;
    name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
    std::string where = path;
    std::replace(where.begin(), where.end(), ' ', '_');
    std::printf("ULP %s %s %s %.3f %.17g\n", name.c_str(), where.c_str(), quantity, worst.ulp,
                static_cast<double>(worst.x));
  }
}

template <class T>
void check_results(const std::string& label, const std::string& path, const Expected<T>& e, const Results<T>& r,
                   const Bounds& bounds) {
  Worst wf, wd, wb;
  for (std::size_t i = 0; i < e.x.size(); ++i) {
    wf.add(ulp_error<T>(r.f[i], e.f[i]), e.x[i], r.f[i], e.f[i]);
    wd.add(ulp_error<T>(r.df[i], e.df[i], e.floor[i]), e.x[i], r.df[i], e.df[i]);
    if (!r.dx.empty()) {
      const real expected = e.dy[i] * e.df[i];
      wb.add(ulp_error<T>(r.dx[i], expected, std::fabs(e.dy[i]) * e.floor[i]), e.x[i], r.dx[i], expected);
    }
  }
  INFO(label << " [" << path << "] forward: " << wf.where());
  CHECK(wf.ulp <= bounds.forward);
  INFO(label << " [" << path << "] derivative: " << wd.where());
  CHECK(wd.ulp <= bounds.derivative);
  report(label, path, "forward", wf);
  report(label, path, "derivative", wd);
  if (!r.dx.empty()) {
    INFO(label << " [" << path << "] backward: " << wb.where());
    CHECK(wb.ulp <= bounds.backward);
    report(label, path, "backward", wb);
  }
}

// ---- paths ---------------------------------------------------------------------------------
template <class T, class F>
Results<T> scalar_path(const F& f, const Expected<T>& e) {
  Results<T> r;
  for (T x : e.x) {
    r.f.push_back(f(x));
    r.df.push_back(f.derivative(x));
  }
  return r;
}

template <class A, class T, class F>
Results<T> batch_path(const F& f, const Expected<T>& e) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  Results<T> r;
  r.f.resize(e.x.size());
  r.df.resize(e.x.size());
  alignas(A::alignment()) T in[W], out[W];
  for (std::size_t i = 0; i < e.x.size(); i += W) {
    const std::size_t m = std::min(W, e.x.size() - i);
    std::fill(in, in + W, T(0));
    std::copy(e.x.begin() + i, e.x.begin() + i + m, in);
    const B v = B::load_aligned(in);
    f(v).store_aligned(out);
    std::copy(out, out + m, r.f.begin() + i);
    f.derivative(v).store_aligned(out);
    std::copy(out, out + m, r.df.begin() + i);
  }
  return r;
}

template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

template <class T>
Results<T> from_columns(const Column<T>& f, const Column<T>& df, const Column<T>& dx) {
  return {std::vector<T>(f.data(), f.data() + f.size()), std::vector<T>(df.data(), df.data() + df.size()),
          std::vector<T>(dx.data(), dx.data() + dx.size())};
}

// Contiguous Eigen arrays, and forward(x) returning a new object.
template <class T, class F>
Results<T> eigen_contiguous(const F& f, const Expected<T>& e) {
  const Eigen::Index n = static_cast<Eigen::Index>(e.x.size());
  const Column<T> x = Eigen::Map<const Column<T>>(e.x.data(), n);
  const Column<T> dy = Eigen::Map<const Column<T>>(e.dy.data(), n);
  Column<T> y(n), d(n), dx(n);
  f.forward(x, y);
  f.derivative(x, d);
  f.backward(x, dy, dx);
  const Column<T> returned = f.forward(x);
  // forward(x) must equal forward(x, y) to the bit (same path).
  CHECK(std::memcmp(returned.data(), y.data(), sizeof(T) * static_cast<std::size_t>(n)) == 0);
  return from_columns(y, d, dx);
}

// Strided operands: x as row 1 of a 3×n column-major array (stride 3), outputs as row 0 of 2×n
// column-major arrays (stride 2), dy through a Map with an inner stride.
template <class T, class F>
Results<T> eigen_strided(const F& f, const Expected<T>& e) {
  const Eigen::Index n = static_cast<Eigen::Index>(e.x.size());
  Eigen::Array<T, 3, Eigen::Dynamic> xs(3, n);
  xs.setConstant(T(0.5));
  xs.row(1) = Eigen::Map<const Column<T>>(e.x.data(), n).transpose();
  std::vector<T> dy_storage(2 * e.dy.size());
  for (std::size_t i = 0; i < e.dy.size(); ++i) dy_storage[2 * i] = e.dy[i];
  Eigen::Map<const Eigen::Array<T, 1, Eigen::Dynamic>, 0, Eigen::InnerStride<2>> dy(dy_storage.data(), 1, n);
  Eigen::Array<T, 2, Eigen::Dynamic> y(2, n), d(2, n), dx(2, n);
  f.forward(xs.row(1), y.row(0));
  f.derivative(xs.row(1), d.row(0));
  f.backward(xs.row(1), dy, dx.row(0));
  return from_columns<T>(y.row(0).transpose(), d.row(0).transpose(), dx.row(0).transpose());
}

// Two-dimensional, mixed storage orders: x column-major, outputs row-major (the driver walks the
// output's order, so x is read with a stride), and blocks of larger objects.
template <class T, class F>
Results<T> eigen_mixed_orders(const F& f, const Expected<T>& e) {
  const Eigen::Index n = static_cast<Eigen::Index>(e.x.size());
  const Eigen::Index rows = 7, cols = (n + rows - 1) / rows;
  using ColMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  using RowMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  ColMajor x = ColMajor::Zero(rows + 2, cols + 1), dy = ColMajor::Zero(rows, cols);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(1 + i % rows, i / rows) = e.x[static_cast<std::size_t>(i)];
    dy(i % rows, i / rows) = e.dy[static_cast<std::size_t>(i)];
  }
  RowMajor y(rows, cols), d(rows, cols), dx(rows + 1, cols + 3);
  const auto xb = x.block(1, 0, rows, cols);
  f.forward(xb, y);
  f.derivative(xb, d);
  f.backward(xb, dy, dx.block(1, 2, rows, cols));
  Results<T> r;
  for (Eigen::Index i = 0; i < n; ++i) {
    r.f.push_back(y(i % rows, i / rows));
    r.df.push_back(d(i % rows, i / rows));
    r.dx.push_back(dx(1 + i % rows, 2 + i / rows));
  }
  return r;
}

// In place: y = f(y), d = f′(d), dx = dy ⊙ f′(x) written over dy.
template <class T, class F>
Results<T> eigen_in_place(const F& f, const Expected<T>& e) {
  const Eigen::Index n = static_cast<Eigen::Index>(e.x.size());
  const Column<T> x = Eigen::Map<const Column<T>>(e.x.data(), n);
  Column<T> y = x, d = x, g = Eigen::Map<const Column<T>>(e.dy.data(), n);
  f.forward(y, y);
  f.derivative(d, d);
  f.backward(x, g, g);
  return from_columns(y, d, g);
}

// Every run length that exercises a tail for W = 2, 4, 8, 16, and the single batch after the main
// loop's pairs of batches (transform.hpp, run_packed; 48 and 49 for W = 16): the first n inputs,
// written into the middle of a guarded buffer; nothing outside [0, n) may change.
template <class T, class F>
void check_lengths(const std::string& label, const F& f, const Expected<T>& e, const Bounds& bounds) {
  const std::size_t offset = e.x.size() - 1007;  // the random part of the input set
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 1007}) {
    Column<T> buffer = Column<T>::Constant(static_cast<Eigen::Index>(n) + 2, T(-123.5));
    auto y = buffer.segment(1, static_cast<Eigen::Index>(n));
    const Eigen::Map<const Column<T>> x(e.x.data() + offset, static_cast<Eigen::Index>(n));
    f.forward(x, y);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
      worst = std::max(worst, ulp_error<T>(y(static_cast<Eigen::Index>(i)), e.f[offset + i]));
    }
    INFO(label << " length " << n);
    CHECK(worst <= bounds.forward);
    CHECK(buffer(0) == T(-123.5));
    CHECK(buffer(static_cast<Eigen::Index>(n) + 1) == T(-123.5));
  }
}

// The reference derivative against a central difference of the reference function.
inline void check_reference_derivative(const std::string& label, const reference::Function& ref) {
  int checked = 0;
  for (int k = -30 * 64; k <= 30 * 64; ++k) {
    const real x = k / 64.0L + 1.0L / 256;  // between grid points: the kinks are on the grid
    const real h = 1e-5L * std::max(1.0L, std::fabs(x));
    bool near_kink = false;
    for (real kink : ref.kinks) near_kink = near_kink || std::fabs(x - kink) <= 2 * h;
    if (near_kink) continue;
    const real fp = ref.f(x + h), fm = ref.f(x - h);
    const real difference = (fp - fm) / (2 * h);
    const real exact = ref.df(x);
    const real tolerance = 1e-6L * std::fabs(exact) +
                           8 * std::numeric_limits<real>::epsilon() * std::max(std::fabs(fp), std::fabs(fm)) / h +
                           std::numeric_limits<real>::min();
    if (!(std::fabs(difference - exact) <= tolerance)) {
      INFO(label << ": reference f′(" << static_cast<double>(x) << ") = " << static_cast<double>(exact)
                 << " but the central difference gives " << static_cast<double>(difference));
      CHECK(false);
      return;
    }
    ++checked;
  }
  CHECK(checked > 3000);
}

// Everything above for one functor and one T (on the common inputs and the extra ones a test
// adds); the accurate policy's results must also be the same bits on every path (the scalar call,
// every SIMD arch, every Eigen walk).
template <class T, class F>
void check_elementwise(const std::string& label, const F& f, const reference::Function& ref,
                       const Bounds& bounds = accurate_bounds, const std::vector<T>& extra = {}) {
  const Expected<T> e = expected_values<T>(ref, extra);
  check_reference_derivative(label, ref);
  const Results<T> scalar = scalar_path(f, e);
  check_results(label, "scalar", e, scalar, bounds);
  const bool same_bits = &bounds == &accurate_bounds;
  auto check_same = [&](const std::string& path, const Results<T>& r) {
    if (!same_bits) return;
    std::size_t differ = 0, first = 0;
    for (std::size_t i = 0; i < e.x.size(); ++i) {
      const bool f_same = std::memcmp(&r.f[i], &scalar.f[i], sizeof(T)) == 0 || (r.f[i] != r.f[i] && scalar.f[i] != scalar.f[i]);
      const bool d_same = std::memcmp(&r.df[i], &scalar.df[i], sizeof(T)) == 0 || (r.df[i] != r.df[i] && scalar.df[i] != scalar.df[i]);
      if (!(f_same && d_same) && differ++ == 0) first = i;
    }
    INFO(label << " [" << path << "] differs from the scalar call at " << differ << " inputs, first x = "
               << static_cast<double>(e.x[first]));
    CHECK(differ == 0);
  };
  for_each_arch<T>([&](auto arch) {
    using A = decltype(arch);
    const Results<T> batch = batch_path<A>(f, e);
    check_results(label, std::string("batch ") + A::name(), e, batch, bounds);
    check_same(std::string("batch ") + A::name(), batch);
  });
  const Results<T> contiguous = eigen_contiguous(f, e);
  check_results(label, "eigen contiguous", e, contiguous, bounds);
  check_same("eigen contiguous", contiguous);
  check_results(label, "eigen strided", e, eigen_strided(f, e), bounds);
  check_results(label, "eigen mixed orders", e, eigen_mixed_orders(f, e), bounds);
  check_results(label, "eigen in place", e, eigen_in_place(f, e), bounds);
  check_lengths(label, f, e, bounds);
}

}  // namespace harness
