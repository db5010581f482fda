// tests/test_softmax.cpp — Softmax and LogSoftmax against a long double reference: every walk
// (contiguous rows, W distributions per SIMD lane, strided), every tail length, special
// distributions, sums to one at n = 10^6, backward against finite differences, the Jacobian.
#include "harness.hpp"

#include <numeric>

namespace {

using reference::real;

template <class T>
using RowMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ColMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

constexpr double softmax_bound = 2;       // ULP per element (docs/accuracy.md)
constexpr double fast_softmax_bound = 6;  // the activ::fast policy
// The accurate policy's float distributions where they are evaluated in double (x86) and rounded
// once: 0.5 ULP but within 2^−11 + n·2^−31 ULP of a midpoint (online_softmax.hpp).
constexpr bool float_in_double = activ::detail::float_in_double;
constexpr double float_in_double_bound = 0.5 + 1.0 / 1024;
// The longest distributions of the walk and backward tests, 10000 elements, are left out where the
// suite runs emulated (ACTIV_TEST_EMULATED: tests/CMakeLists.txt defines it for a cross build with
// an emulator): under qemu, AArch64's long double is software quad precision, and with them these
// three tests took 163 + 154 + 135 s (82 s without). Every walk still sees distributions of 1000.
#ifdef ACTIV_TEST_EMULATED
constexpr Eigen::Index longest_distribution = 1000;
#else
constexpr Eigen::Index longest_distribution = 10000;
#endif

// The reference of one distribution, as ../API.md defines it (special distributions included).
std::vector<real> reference_row(const std::vector<real>& x, bool log) {
  const std::size_t n = x.size();
  std::vector<real> y(n);
  const real inf = std::numeric_limits<real>::infinity();
  bool nan = false;
  std::size_t infinities = 0;
  real m = -inf;
  for (real v : x) {
    nan = nan || std::isnan(v);
    infinities += v == inf;
    m = std::max(m, v);
  }
  if (nan || m == -inf) return std::vector<real>(n, std::numeric_limits<real>::quiet_NaN());
  if (infinities > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      const real share = 1.0L / static_cast<real>(infinities);
      y[i] = x[i] == inf ? (log ? std::log(share) : share) : (log ? -inf : 0.0L);
    }
    return y;
  }
  // Σ e^(x − m) = 1 + others: log Σ as log1p(others), which keeps its relative accuracy when one
  // entry dominates (the largest log-softmax output is −log1p(others), possibly tiny).
  const std::size_t top = static_cast<std::size_t>(std::max_element(x.begin(), x.end()) - x.begin());
  real others = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != top) others += std::exp(x[i] - m);
  }
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = log ? (x[i] - m) - std::log1p(others) : std::exp(x[i] - m) / (1 + others);
  }
  return y;
}

template <class T, class M>
std::vector<real> row_of(const M& x, Eigen::Index i, bool rows) {
  std::vector<real> v;
  const Eigen::Index n = rows ? x.cols() : x.rows();
  for (Eigen::Index k = 0; k < n; ++k) v.push_back(rows ? x(i, k) : x(k, i));
  return v;
}

// The reference of every row of x, or of x as one distribution where it is a column vector (a
// vector is one distribution whatever the axis); the walks below share one.
template <class T, class X>
ColMajor<real> reference_rows(const X& x, bool log) {
  ColMajor<real> expected(x.rows(), x.cols());
  if (x.cols() == 1) {
    const std::vector<real> column = reference_row(row_of<T>(x, 0, false), log);
    for (Eigen::Index i = 0; i < x.rows(); ++i) expected(i, 0) = column[static_cast<std::size_t>(i)];
    return expected;
  }
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const std::vector<real> row = reference_row(row_of<T>(x, i, true), log);
    for (Eigen::Index k = 0; k < x.cols(); ++k) expected(i, k) = row[static_cast<std::size_t>(k)];
  }
  return expected;
}

// The worst ULP error of y against a reference of its shape.
template <class T, class E, class Y>
double worst_error_against(const E& expected, const Y& y) {
  REQUIRE(expected.rows() == y.rows());
  REQUIRE(expected.cols() == y.cols());
  double worst = 0;
  for (Eigen::Index j = 0; j < y.cols(); ++j) {
    for (Eigen::Index i = 0; i < y.rows(); ++i) worst = std::max(worst, harness::ulp_error<T>(y(i, j), expected(i, j)));
  }
  return worst;
}

// The worst ULP error of y = (log-)softmax(x) over every distribution of x (its rows, its columns,
// or x itself where it is a vector).
template <class T, class X, class Y>
double worst_error(const X& x, const Y& y, bool rowwise, bool log) {
  const bool vector = x.rows() == 1 || x.cols() == 1;
  if (rowwise || vector) return worst_error_against<T>(reference_rows<T>(x, log), y);
  return worst_error_against<T>(reference_rows<T>(x.transpose(), log), y.transpose());
}

template <class T>
ColMajor<T> random_matrix(Eigen::Index rows, Eigen::Index cols, double scale, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  ColMajor<T> x(rows, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = static_cast<T>(scale * normal(rng));
  return x;
}

template <class T, bool Log, class P = activ::accurate>
void check_walks() {
  using F = std::conditional_t<Log, activ::LogSoftmax<T, P>, activ::Softmax<T, P>>;
  constexpr bool fast = activ::detail::is_fast_v<P>;
  const double softmax_bound = fast ? fast_softmax_bound : ::softmax_bound;
  const std::string name = std::string(Log ? "LogSoftmax<" : "Softmax<") + activ::detail::type_name<T>() +
                           (fast ? ", fast>" : ">");
  double overall = 0;
  for (Eigen::Index length : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1000, 10000}) {
    if (length > longest_distribution) continue;
    for (double scale : {1.0, 10.0, 1e4}) {
      const ColMajor<T> x = random_matrix<T>(37, length, scale, static_cast<unsigned>(length));
      const RowMajor<T> xr = x;
      INFO(name << " length " << length << " scale " << scale);
      // one reference for the five walks below that see the distributions of x's rows (under
      // qemu, where long double is software quad precision, it was most of the test's time)
      const ColMajor<real> expected = reference_rows<T>(x, Log);
      ColMajor<T> y(x.rows(), x.cols());
      RowMajor<T> yr(x.rows(), x.cols());
      // rowwise: contiguous rows (row-major), W rows per lane group (column-major)
      F().forward(xr, yr);
      const double e1 = worst_error_against<T>(expected, yr);
      F().forward(x, y);
      const double e2 = worst_error_against<T>(expected, y);
      // colwise: contiguous columns (column-major), lane groups (row-major)
      const ColMajor<T> xt = x.transpose();
      ColMajor<T> yt(xt.rows(), xt.cols());
      F{activ::colwise}.forward(xt, yt);
      const double e3 = worst_error_against<T>(expected, yt.transpose());
      RowMajor<T> xtr = xt, ytr(xt.rows(), xt.cols());
      F{activ::colwise}.forward(xtr, ytr);
      const double e4 = worst_error_against<T>(expected, ytr.transpose());
      // colwise on a matrix equals rowwise on its transpose (the same walk over the same memory)
      RowMajor<T> yv(x.rows(), x.cols());
      F().forward(xt.transpose(), yv);
      CHECK((yv == yt.transpose()).all());
      // strided: every other column of a wider array, through a block (scalar walk)
      ColMajor<T> wide = ColMajor<T>::Zero(x.rows(), 2 * x.cols());
      for (Eigen::Index j = 0; j < x.cols(); ++j) wide.col(2 * j) = x.col(j);
      Eigen::Map<const ColMajor<T>, 0, Eigen::OuterStride<>> strided(wide.data(), x.rows(), x.cols(),
                                                                     Eigen::OuterStride<>(2 * x.rows()));
      RowMajor<T> ys(x.rows(), x.cols());
      F().forward(strided, ys);
      const double e5 = worst_error_against<T>(expected, ys);
      // in place
      RowMajor<T> in_place = xr;
      F().forward(in_place, in_place);
      CHECK((in_place == yr).all());
      // one vector: a row and a column
      Eigen::Array<T, 1, Eigen::Dynamic> row = x.row(3), row_y(x.cols());
      F{activ::colwise}.forward(row, row_y);  // a vector is one distribution whatever the axis
      const double e6 = worst_error<T>(row, row_y, true, Log);
      const double worst = std::max({e1, e2, e3, e4, e5, e6});
      CHECK(e1 <= softmax_bound);
      CHECK(e2 <= softmax_bound);
      CHECK(e3 <= softmax_bound);
      CHECK(e4 <= softmax_bound);
      CHECK(e5 <= softmax_bound);
      CHECK(e6 <= softmax_bound);
      overall = std::max(overall, worst);
      if (float_in_double && !fast && std::is_same<T, float>::value) CHECK(worst <= float_in_double_bound);
    }
  }
  if (std::getenv("ACTIV_REPORT_ULP")) std::printf("ULP %s all_walks forward %.3f 0\n", name.c_str(), overall);
}

template <class T, bool Log, class P = activ::accurate>
void check_special() {
  using F = std::conditional_t<Log, activ::LogSoftmax<T, P>, activ::Softmax<T, P>>;
  const double softmax_bound = activ::detail::is_fast_v<P> ? fast_softmax_bound : ::softmax_bound;
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  const Eigen::Index n = 41;  // > 2 W for every W, with a tail
  ColMajor<T> x = random_matrix<T>(6, n, 3.0, 99);
  x(0, 5) = nan;  // any NaN → all NaN
  x(0, 9) = -inf;  // −∞ beside a NaN is NaN too (log-softmax gave −∞: found by tests/fuzz/fuzz_softmax)
  x(1, 3) = inf;  // +∞ entries share the mass
  x(1, 30) = inf;
  x.row(2).setConstant(-inf);                              // all −∞ → all NaN
  for (Eigen::Index j = 0; j < n; j += 3) x(3, j) = -inf;  // a mask: exact zeros there
  x(4, 7) = -inf;
  x(4, 8) = inf;
  x(5, 40) = std::numeric_limits<T>::max();  // huge but finite
  x(5, 39) = T(-1e30);  // far below it: exactly 0 (was −2^−149 in float: found by tests/fuzz/fuzz_softmax)
  // Positive, but below half of max's ULP: x − max rounds to −max with an error of x itself, which the
  // fast walks' first-order correction e^d·(1 + error) must not take (it gave 5·10^−37 for a term
  // that is 0: found by tests/fuzz/fuzz_softmax).
  x(5, 38) = T(1e20);
  for (int layout = 0; layout < 2; ++layout) {
    RowMajor<T> y(x.rows(), x.cols());
    if (layout == 0) {
      F().forward(RowMajor<T>(x), y);  // contiguous walk
    } else {
      ColMajor<T> yc(x.rows(), x.cols());
      F().forward(x, yc);  // lane walk
      y = yc;
    }
    INFO("layout " << layout);
    CHECK(y.row(0).isNaN().all());
    CHECK(y.row(2).isNaN().all());
    for (Eigen::Index j = 0; j < n; ++j) {
      const bool infinite = j == 3 || j == 30;
      CHECK(y(1, j) == (infinite ? (Log ? -std::log(T(2)) : T(0.5)) : (Log ? -inf : T(0))));
      if (j % 3 == 0) CHECK(y(3, j) == (Log ? -inf : T(0)));
      CHECK(y(4, j) == (j == 8 ? (Log ? T(0) : T(1)) : (Log ? -inf : T(0))));
    }
    CHECK(worst_error<T>(x.row(3), y.row(3), true, Log) <= softmax_bound);
    CHECK(worst_error<T>(x.row(5), y.row(5), true, Log) <= softmax_bound);
    if (!Log) CHECK(y(5, 39) == T(0));
    if (!Log) CHECK(y(5, 38) == T(0));
    CHECK((Log ? (y.row(5) <= T(0)).all() : (y.row(5) >= T(0)).all()));
  }
  // One element: 1 (log: 0), whatever its value; zero length: nothing happens. (An n×1 or 1×n
  // array is a vector, hence one distribution: a single element is the 1×1 case.)
  for (T value : {T(-5), T(0), T(1e30), -std::numeric_limits<T>::max()}) {
    ColMajor<T> one = ColMajor<T>::Constant(1, 1, value), one_y(1, 1);
    F().forward(one, one_y);
    CHECK(one_y(0, 0) == (Log ? T(0) : T(1)));
  }
  ColMajor<T> empty(4, 0), empty_y(4, 0);
  F().forward(empty, empty_y);
}

template <class T>
void check_sum_to_one() {
  const Eigen::Index n = 1000000;
  const ColMajor<T> x = random_matrix<T>(1, n, 3.0, 5);
  Eigen::Array<T, 1, Eigen::Dynamic> y(n);
  activ::Softmax<T>().forward(x, y);
  real sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) sum += y(i);
  const double error = static_cast<double>(std::fabs(sum - 1) / std::numeric_limits<T>::epsilon());
  INFO("Softmax<" << activ::detail::type_name<T>() << ">: |sum - 1| = " << error << " eps at n = 10^6");
  CHECK(error <= 4 * std::log2(static_cast<double>(n)));
  if (std::getenv("ACTIV_REPORT_ULP")) {
    std::printf("ULP Softmax<%s> n=1e6 sum_error_eps %.3f 0\n", activ::detail::type_name<T>(), error);
  }
  CHECK(worst_error<T>(x, y, true, false) <= softmax_bound);
}

// backward against the formulas in long double, with the error measured relative to the scale
// the result can be known to: |y|·(|dy| + Σ|dy·y|) (softmax), |dy| + e^y·Σ|dy| (log-softmax).
// Both policies: the fast one reaches log-softmax backward's exponential only.
template <class T, bool Log, class Policy = activ::accurate>
void check_backward() {
  using F = std::conditional_t<Log, activ::LogSoftmax<T, Policy>, activ::Softmax<T, Policy>>;
  const std::string name = std::string(Log ? "LogSoftmax<" : "Softmax<") + activ::detail::type_name<T>() +
                           (activ::detail::is_fast_v<Policy> ? ",fast>" : ">");
  double overall = 0;
  // 19 distributions: the one-group lanes walk, a partial group; 133 = 2·64 + 5: the four-group
  // lanes walk twice (float on AVX-512: 64 = 4·W) and a partial group after it, on every arch.
  const std::pair<Eigen::Index, Eigen::Index> shapes[] = {{19, 2},   {19, 7},   {19, 16},   {19, 17},  {19, 33},
                                                          {19, 1000}, {19, 10000}, {133, 3}, {133, 40}, {133, 1000}};
  for (const auto& [rows, length] : shapes) {
    if (length > longest_distribution) continue;
    const ColMajor<T> x = random_matrix<T>(rows, length, 4.0, static_cast<unsigned>(7 * length));
    ColMajor<T> dy = random_matrix<T>(rows, length, 1.0, static_cast<unsigned>(length));
    // A row where ⟨dy, y⟩ nearly cancels dy: dy constant (softmax: dx ≈ 0 exactly in theory).
    dy.row(0).setConstant(T(0.75));
    ColMajor<T> y(x.rows(), x.cols());
    F().forward(x, y);
    for (int layout = 0; layout < 3; ++layout) {
      RowMajor<T> dx(x.rows(), x.cols());
      if (layout == 0) {
        F().backward(RowMajor<T>(y), RowMajor<T>(dy), dx);  // contiguous
      } else if (layout == 1) {
        ColMajor<T> dxc(x.rows(), x.cols());
        F().backward(y, dy, dxc);  // lanes
        dx = dxc;
      } else {
        RowMajor<T> g = dy;
        F().backward(y, g, g);  // mixed layouts (scalar walk), in place over dy
        dx = g;
      }
      double worst = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        real reduced = 0, scale_sum = 0;
        for (Eigen::Index j = 0; j < length; ++j) {
          reduced += Log ? static_cast<real>(dy(i, j)) : static_cast<real>(dy(i, j)) * y(i, j);
          scale_sum += std::fabs(Log ? static_cast<real>(dy(i, j)) : static_cast<real>(dy(i, j)) * y(i, j));
        }
        for (Eigen::Index j = 0; j < length; ++j) {
          const real yy = y(i, j), g = dy(i, j);
          const real expected = Log ? g - std::exp(yy) * reduced : yy * (g - reduced);
          const real scale = Log ? std::fabs(g) + std::exp(yy) * scale_sum : std::fabs(yy) * (std::fabs(g) + scale_sum);
          if (scale > 0) {
            worst = std::max(
                worst, static_cast<double>(std::fabs(dx(i, j) - expected) / scale / std::numeric_limits<T>::epsilon()));
          }
        }
      }
      INFO(name << " backward, " << rows << " distributions of length " << length << ", layout " << layout << ": "
                << worst << " eps");
      CHECK(worst <= 4);
      overall = std::max(overall, worst);
    }
  }
  if (std::getenv("ACTIV_REPORT_ULP")) std::printf("ULP %s all_walks backward_eps %.3f 0\n", name.c_str(), overall);
}

// The backward formulas themselves, against central differences of the long double forward.
template <bool Log>
void check_finite_differences() {
  const std::vector<real> x = {0.3L, -1.2L, 2.5L, 0.0L, -0.7L, 1.1L, 4.0L};
  const std::vector<real> dy = {0.5L, -1.0L, 0.25L, 2.0L, -0.3L, 0.9L, -1.7L};
  const std::size_t n = x.size();
  auto loss = [&](const std::vector<real>& v) {
    const std::vector<real> y = reference_row(v, Log);
    return std::inner_product(y.begin(), y.end(), dy.begin(), 0.0L);
  };
  Eigen::Array<double, 1, Eigen::Dynamic> xd(n), yd(n), g(n), dx(n);
  for (std::size_t i = 0; i < n; ++i) {
    xd(static_cast<Eigen::Index>(i)) = static_cast<double>(x[i]);
    g(static_cast<Eigen::Index>(i)) = static_cast<double>(dy[i]);
  }
  using F = std::conditional_t<Log, activ::LogSoftmax<double>, activ::Softmax<double>>;
  F().forward(xd, yd);
  F().backward(yd, g, dx);
  const auto J = F().jacobian(yd);
  const Eigen::Matrix<double, Eigen::Dynamic, 1> from_jacobian = J.transpose() * g.matrix().transpose();
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<real> plus = x, minus = x;
    const real h = 1e-6L;
    plus[j] += h;
    minus[j] -= h;
    const real difference = (loss(plus) - loss(minus)) / (2 * h);
    INFO((Log ? "LogSoftmax" : "Softmax") << " ∂L/∂x[" << j << "]");
    CHECK(std::fabs(dx(static_cast<Eigen::Index>(j)) - difference) <= 1e-8L * (1 + std::fabs(difference)));
    CHECK(std::fabs(from_jacobian(static_cast<Eigen::Index>(j)) - difference) <= 1e-8L * (1 + std::fabs(difference)));
  }
}

}  // namespace

TEST_CASE("Softmax and LogSoftmax: every walk against long double", "[softmax]") {
  check_walks<float, false>();
  check_walks<double, false>();
  check_walks<float, true>();
  check_walks<double, true>();
}

TEST_CASE("Softmax and LogSoftmax, fast policy: every walk and the special distributions", "[softmax][fast]") {
  check_walks<float, false, activ::fast>();
  check_walks<double, false, activ::fast>();
  check_walks<float, true, activ::fast>();
  check_walks<double, true, activ::fast>();
  check_special<float, false, activ::fast>();
  check_special<double, false, activ::fast>();
  check_special<float, true, activ::fast>();
  check_special<double, true, activ::fast>();
}

TEST_CASE("Softmax and LogSoftmax: special distributions", "[softmax]") {
  check_special<float, false>();
  check_special<double, false>();
  check_special<float, true>();
  check_special<double, true>();
}

TEST_CASE("Softmax: a distribution of 10^6 elements sums to one", "[softmax]") {
  check_sum_to_one<float>();
  check_sum_to_one<double>();
}

TEST_CASE("Softmax and LogSoftmax: backward", "[softmax]") {
  check_backward<float, false>();
  check_backward<double, false>();
  check_backward<float, true>();
  check_backward<double, true>();
  check_backward<float, false, activ::fast>();
  check_backward<double, false, activ::fast>();
  check_backward<float, true, activ::fast>();
  check_backward<double, true, activ::fast>();
  check_finite_differences<false>();
  check_finite_differences<true>();
}

TEST_CASE("Softmax and LogSoftmax: shapes are checked before writing", "[softmax][errors]") {
  using Catch::Matchers::Contains;
  Eigen::ArrayXXf x = Eigen::ArrayXXf::Ones(3, 4), y = Eigen::ArrayXXf::Constant(4, 3, -2.f);
  CHECK_INVALID(activ::Softmax<float>().forward(x, y), Contains("activ::Softmax<float>::forward") && Contains("3x4"));
  CHECK((y == -2.f).all());
  Eigen::ArrayXXf dx = Eigen::ArrayXXf::Constant(3, 4, -2.f), dy = Eigen::ArrayXXf::Ones(3, 5);
  CHECK_INVALID(activ::LogSoftmax<float>().backward(x, dy, dx),
                Contains("activ::LogSoftmax<float>::backward") && Contains("dy is 3x5"));
  CHECK((dx == -2.f).all());
  CHECK_INVALID(activ::Softmax<float>().jacobian(x), Contains("jacobian") && Contains("3x4"));
}

// Found by tests/fuzz/fuzz_softmax: in the online walks (one distribution per lane, and the strided
// scalar walk) the running sum's Kahan compensation was rounded into the sum when the maximum
// moved, and this distribution of small values (all |x| < 2^−7, the maximum moving 14 times) came
// out 2.02 ULP off in float, over the 2-ULP bound. The compensation is now kept in the low part.
TEST_CASE("Softmax: the online sum keeps its compensation when the maximum moves", "[softmax]") {
  const std::vector<float> v = {
      -0xbp-22f,    -0xap-19f,    -0x8.7aep-12f, -0x9.184p-13f, 0xb.ad8p-13f,  -0xe.98cp-12f, 0xb.b2cp-13f,
      -0xc.e48p-14f, -0xc.61p-12f, -0xa.b9p-13f, 0xd.f0ep-12f,  0xc.288p-13f,  -0xc.ddp-15f,  -0xb.fd8p-14f,
      0xa.59p-14f,  -0xa.b6p-13f, 0xa.568p-12f,  0xe.168p-14f,  0xc.2c6p-12f,  0xb.56ap-12f,  0xf.478p-14f,
      0xb.5c8p-13f, -0xc.78p-14f, -0xe.b7cp-13f, -0xe.d4p-16f,  0xe.fcp-15f,   -0xe.558p-14f, 0xc.18p-15f,
      -0xf.9a4p-13f, -0xf.d22p-12f, 0xd.9b8p-12f, 0xc.468p-14f,  -0xa.968p-14f, -0xc.fep-13f,  0xe.adcp-12f,
      -0xc.88p-17f, 0xb.73ep-12f, -0xd.c3ap-12f, 0xa.134p-12f,  0xf.f08p-14f,  0xd.6f8p-13f,  -0xe.d04p-12f,
      -0xd.6dp-12f, -0xa.9a4p-13f, -0xc.9fp-13f, 0xc.f4ep-12f,  -0xf.80ap-12f, -0xa.74cp-13f, -0x9.b6cp-12f,
      -0x8.91cp-13f, -0xa.dfp-15f, -0xd.a68p-13f, -0xe.6f4p-13f, 0xf.72p-14f,  -0xb.a2cp-13f, -0x9.c24p-13f,
      -0xb.458p-14f, -0x9.362p-12f, 0x8.56cp-12f, -0xa.918p-14f, 0xe.0e8p-14f,  -0xa.39p-12f,  0xf.78p-13f,
      -0xa.f08p-13f, 0xb.368p-14f, -0x9.4c4p-12f, -0x8.9c8p-12f, 0xf.69ap-12f,  -0xc.b3p-13f,  -0xd.e02p-12f,
      0xd.7a4p-13f, 0xd.58p-13f,   0xa.354p-13f,  0xf.51p-15f,   0x9.34p-13f,   0xf.e6ap-12f,  0xf.718p-13f};
  const Eigen::Index n = static_cast<Eigen::Index>(v.size());
  ColMajor<float> x(3, n);  // rowwise on column-major storage: the lane walk
  for (Eigen::Index j = 0; j < n; ++j) x.col(j).setConstant(v[static_cast<std::size_t>(j)]);
  const std::vector<real> expected = reference_row(row_of<float>(x, 0, true), false);
  ColMajor<float> lanes(3, n);
  activ::Softmax<float>().forward(x, lanes);
  RowMajor<float> contiguous(3, n);
  activ::Softmax<float>().forward(RowMajor<float>(x), contiguous);
  Eigen::Array<float, 1, Eigen::Dynamic> scalar(n);  // an inner stride of 3: the scalar walk
  activ::Softmax<float>().forward(x.row(1), scalar);
  double worst[3] = {0, 0, 0};
  for (Eigen::Index j = 0; j < n; ++j) {
    const real e = expected[static_cast<std::size_t>(j)];
    worst[0] = std::max(worst[0], harness::ulp_error<float>(lanes(2, j), e));
    worst[1] = std::max(worst[1], harness::ulp_error<float>(contiguous(2, j), e));
    worst[2] = std::max(worst[2], harness::ulp_error<float>(scalar(j), e));
  }
  INFO("lanes " << worst[0] << ", contiguous " << worst[1] << ", scalar " << worst[2] << " ULP");
  CHECK(worst[0] <= 1);
  CHECK(worst[1] <= 1);
  CHECK(worst[2] <= 1);
}

// Found by tests/fuzz/fuzz_softmax: log-softmax backward formed e^y first, which underflows to 0
// for y below −104 (float) or −745 (double), while e^y·Σdy was still far above dy: dx came out
// as dy. e^y·Σdy is now scaled by Σdy's power of two before the exponential's.
template <class T, class Policy = activ::accurate>
void check_log_backward_underflow() {
  using F = activ::LogSoftmax<T, Policy>;
  const T big = std::numeric_limits<T>::max() / 8;
  const bool is_float = std::is_same<T, float>::value;
  // y (log-probabilities, or any values) and dy: Σ dy ≈ 2·big.
  const std::vector<T> ys = is_float ? std::vector<T>{T(0), T(-124.421875), T(-111.46875), T(-150), T(-30), T(-200)}
                                     : std::vector<T>{T(0), T(-747.5), T(-1175.5), T(-800), T(-30), T(-1500)};
  const std::vector<T> gs = {big, big, T(8.2e-17), T(-1.5), T(0), T(-0.0)};
  const Eigen::Index n = static_cast<Eigen::Index>(ys.size());
  ColMajor<T> y(3, n), dy(3, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    y.col(j).setConstant(ys[static_cast<std::size_t>(j)]);
    dy.col(j).setConstant(gs[static_cast<std::size_t>(j)]);
  }
  real sum = 0, magnitude = 0;
  for (T g : gs) {
    sum += g;
    magnitude += std::fabs(static_cast<real>(g));
  }
  ColMajor<T> lanes(3, n);
  F().backward(y, dy, lanes);
  RowMajor<T> contiguous(3, n);
  F().backward(RowMajor<T>(y), RowMajor<T>(dy), contiguous);
  Eigen::Array<T, 1, Eigen::Dynamic> scalar(n);
  F().backward(y.row(1), dy.row(1), scalar);
  const real eps = std::numeric_limits<T>::epsilon(), tiny = std::numeric_limits<T>::denorm_min();
  for (Eigen::Index j = 0; j < n; ++j) {
    const real p = std::exp(static_cast<real>(ys[static_cast<std::size_t>(j)]));
    const real g = gs[static_cast<std::size_t>(j)];
    const real expected = g - p * sum;
    const real allowed = 4 * eps * (std::fabs(g) + p * magnitude) + 4 * tiny;
    INFO(activ::detail::type_name<T>() << " element " << j << ": expected " << static_cast<double>(expected)
                                       << ", lanes " << lanes(0, j) << ", contiguous " << contiguous(0, j)
                                       << ", scalar " << scalar(j));
    CHECK(std::fabs(lanes(0, j) - expected) <= allowed);
    CHECK(std::fabs(contiguous(0, j) - expected) <= allowed);
    CHECK(std::fabs(scalar(j) - expected) <= allowed);
  }
}

// A reduction that is not finite: an infinite dy (softmax: ⟨dy, y⟩ = ∞, or NaN with both signs),
// or Σ dy beyond T's range (log-softmax, with y = 0: every dx overflows). The reduction then is
// the plain sum of its terms, as the formula gives: its compensated form holds NaN there (∞ − ∞).
template <class T, bool Log, class Policy = activ::accurate>
void check_backward_nonfinite() {
  using F = std::conditional_t<Log, activ::LogSoftmax<T, Policy>, activ::Softmax<T, Policy>>;
  const T inf = std::numeric_limits<T>::infinity(), big = std::numeric_limits<T>::max() / 4;
  // Every chain loop, the single batches and a tail along a distribution; across them, the
  // four-group lanes walk twice and a partial group (as in check_backward).
  const Eigen::Index rows = 133, n = 150;
  ColMajor<T> y(rows, n), dy = random_matrix<T>(rows, n, 1.0, 11);
  if (Log) {
    y.setZero();
    dy.setConstant(big);
    dy.row(3).setConstant(-big);
    dy(5, 0) = -big;  // the sum still overflows
  } else {
    F().forward(random_matrix<T>(rows, n, 4.0, 12), y);
    for (Eigen::Index i = 0; i < rows; ++i) dy(i, (7 * i) % n) = i % 3 == 2 ? -inf : inf;
    dy(4, 100) = -inf;  // with the +∞ at 28: ⟨dy, y⟩ is NaN
  }
  ColMajor<T> lanes(rows, n);
  F().backward(y, dy, lanes);
  RowMajor<T> contiguous(rows, n);
  F().backward(RowMajor<T>(y), RowMajor<T>(dy), contiguous);
  RowMajor<T> scalar = dy;
  F().backward(y, scalar, scalar);  // mixed layouts: the scalar walk
  for (Eigen::Index i = 0; i < rows; ++i) {
    real reduced = 0;
    for (Eigen::Index j = 0; j < n; ++j) reduced += Log ? real(dy(i, j)) : real(dy(i, j)) * y(i, j);
    if (Log) {  // beyond T's range: ±∞ in T
      REQUIRE(std::fabs(reduced) > std::numeric_limits<T>::max());
      reduced = reduced > 0 ? real(inf) : -real(inf);
    }
    for (Eigen::Index j = 0; j < n; ++j) {
      const real g = dy(i, j), p = y(i, j);
      const real expected = Log ? g - std::exp(p) * reduced : p * (g - reduced);
      INFO((Log ? "LogSoftmax" : "Softmax") << "<" << activ::detail::type_name<T>() << "> row " << i << " element "
                                            << j << ": expected " << static_cast<double>(expected) << ", lanes "
                                            << lanes(i, j) << ", contiguous " << contiguous(i, j) << ", scalar "
                                            << scalar(i, j));
      REQUIRE(!std::isfinite(expected));
      for (const T got : {lanes(i, j), contiguous(i, j), scalar(i, j)}) {
        CHECK((std::isnan(expected) ? std::isnan(got) : real(got) == expected));
      }
    }
  }
}

TEST_CASE("Softmax and LogSoftmax backward: an infinite or overflowing reduction", "[softmax]") {
  check_backward_nonfinite<float, false>();
  check_backward_nonfinite<double, false>();
  check_backward_nonfinite<float, true>();
  check_backward_nonfinite<double, true>();
  check_backward_nonfinite<float, true, activ::fast>();
  check_backward_nonfinite<double, true, activ::fast>();
}

TEST_CASE("LogSoftmax backward: e^y·Σdy where e^y alone underflows", "[softmax]") {
  check_log_backward_underflow<float>();
  check_log_backward_underflow<double>();
  check_log_backward_underflow<float, activ::fast>();
  check_log_backward_underflow<double, activ::fast>();
}

// Log-softmax's largest output is −log1p(rest); where one class leads every other by more than ~87
// (float) or ~708 (double), rest and the terms that make it are subnormal. The fast policy's walks
// (lane groups, contiguous, and the scalar walk at any strides, which an ACTIV_NO_SIMD build takes
// for all three) sum the terms times 2^K and round rest once (online_softmax.hpp, scaled_term): the
// largest output is then within one subnormal spacing, where rounding each term had cost up to half
// a spacing per element (on these rows before: 36–46 spacings in the SIMD walks, 12–46 in the
// scalar walk).
template <class T>
void check_fast_subnormal_rest() {
  using F = activ::LogSoftmax<T, activ::fast>;
  constexpr bool is_float = std::is_same<T, float>::value;
  const T low = is_float ? T(-115) : T(-760), high = is_float ? T(-99) : T(-720);
  const Eigen::Index n = 2000;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> spread(static_cast<double>(low), static_cast<double>(high));
  ColMajor<T> x(3, n);  // rowwise on column-major storage: the lane walk; as row-major: contiguous
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = static_cast<T>(spread(rng));
  const Eigen::Index top[3] = {0, 977, n - 1};
  for (Eigen::Index r = 0; r < 3; ++r) x(r, top[r]) = T(0);
  ColMajor<T> lanes(3, n);
  F().forward(x, lanes);
  RowMajor<T> contiguous(3, n);
  F().forward(RowMajor<T>(x), contiguous);
  for (Eigen::Index r = 0; r < 3; ++r) {
    const std::vector<real> expected = reference_row(row_of<T>(x, r, true), true);
    const real e = expected[static_cast<std::size_t>(top[r])];
    INFO(activ::detail::type_name<T>() << " row " << r << ": log-softmax of the leading class " << static_cast<double>(e));
    CHECK(e > -std::numeric_limits<T>::min());  // a subnormal result
    CHECK(harness::ulp_error<T>(lanes(r, top[r]), e) <= 1);
    CHECK(harness::ulp_error<T>(contiguous(r, top[r]), e) <= 1);
    Eigen::Array<T, 1, Eigen::Dynamic> strided(n);  // a row of x has an inner stride of 3: the scalar walk
    F().forward(x.row(r), strided);
    CHECK(harness::ulp_error<T>(strided(top[r]), e) <= 1);
  }
}

TEST_CASE("LogSoftmax, fast policy: a subnormal sum of the other terms rounds once", "[softmax][fast]") {
  check_fast_subnormal_rest<float>();
  check_fast_subnormal_rest<double>();
}
