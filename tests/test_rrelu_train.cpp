// tests/test_rrelu_train.cpp — RReLU training: the noise is a function of (seed, index) only
// (the same digest in every build and storage order), its distribution is U(lower, upper), and
// forward/backward agree with it exactly.
#include "harness.hpp"

#include <algorithm>

namespace {

template <class T>
using RowMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// FNV-1a over the bytes of the elements in row-major order.
template <class M>
std::uint64_t digest(const M& m) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      unsigned char bytes[sizeof(typename M::Scalar)];
      const typename M::Scalar v = m(i, j);
      std::memcpy(bytes, &v, sizeof v);
      for (unsigned char b : bytes) h = (h ^ b) * 0x100000001b3ULL;
    }
  }
  return h;
}

template <class T>
Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> inputs(Eigen::Index rows, Eigen::Index cols) {
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> x(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = static_cast<T>((i * 7 + j * 3) % 11) - T(6.5);
  }
  return x;
}

// Digests recorded from the first build; every -march build and storage order must reproduce them.
template <class T>
std::uint64_t expected_digest();
template <>
std::uint64_t expected_digest<float>() {
  return 0x12f5f0a382276966ULL;
}
template <>
std::uint64_t expected_digest<double>() {
  return 0x54e215a80998f7e4ULL;
}

template <class T>
void check_reproducible() {
  const activ::RReLU<T> r;
  const auto x = inputs<T>(37, 53);
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> y(37, 53), noise(37, 53);
  r.forward_train(x, y, noise, 42);
  RowMajor<T> xr = x, yr(37, 53), noise_r(37, 53);
  r.forward_train(xr, yr, noise_r, 42);
  const std::uint64_t d = digest(noise);
  if (std::getenv("ACTIV_REPORT_DIGEST"))
    std::printf("digest %s 0x%016llxULL\n", activ::detail::type_name<T>(), static_cast<unsigned long long>(d));
  CHECK(d == expected_digest<T>());
  CHECK(digest(noise_r) == d);
  CHECK(digest(yr) == digest(y));
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> other(37, 53);
  r.forward_train(x, y, other, 43);
  CHECK(digest(other) != d);
  // In place gives the same.
  auto z = x;
  r.forward_train(z, z, other, 42);
  CHECK(digest(other) == d);
  CHECK(digest(z) == digest(yr));
}

template <class T>
void check_distribution(T lower, T upper) {
  const activ::RReLU<T> r{lower, upper};
  const Eigen::Index n = 1000000;
  Eigen::Array<T, Eigen::Dynamic, 1> x = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(n, T(-1)), y(n), noise(n);
  r.forward_train(x, y, noise, 2026);
  std::vector<double> u(static_cast<std::size_t>(n));
  double mean = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    u[static_cast<std::size_t>(i)] = (static_cast<double>(noise(i)) - lower) / (static_cast<double>(upper) - lower);
    mean += noise(i);
  }
  mean /= static_cast<double>(n);
  double variance = 0;
  for (Eigen::Index i = 0; i < n; ++i) variance += (noise(i) - mean) * (noise(i) - mean);
  variance /= static_cast<double>(n - 1);
  const double width = static_cast<double>(upper) - lower;
  CHECK(noise.minCoeff() >= lower);
  CHECK(noise.maxCoeff() <= upper);
  CHECK(std::fabs(mean - (lower + upper) / 2.0) <= 5 * width / std::sqrt(12.0 * static_cast<double>(n)));
  CHECK(std::fabs(variance / (width * width / 12) - 1) <= 0.01);
  std::sort(u.begin(), u.end());
  double ks = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    ks = std::max({ks, std::fabs(static_cast<double>(i + 1) / static_cast<double>(n) - u[i]),
                   std::fabs(u[i] - static_cast<double>(i) / static_cast<double>(n))});
  }
  INFO("Kolmogorov-Smirnov D = " << ks);
  CHECK(ks < 1.95 / std::sqrt(static_cast<double>(n)));  // α = 0.001
  CHECK(((y == noise * x)).all());
}

template <class T>
void check_consistency() {
  const activ::RReLU<T> r{T(0.1), T(0.3)};
  auto x = inputs<T>(9, 31);
  x(0, 0) = std::numeric_limits<T>::quiet_NaN();
  x(1, 0) = -std::numeric_limits<T>::infinity();
  x(2, 0) = std::numeric_limits<T>::infinity();
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> y(9, 31), noise(9, 31), dy(9, 31), dx(9, 31);
  r.forward_train(x, y, noise, 7);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (x(i) > 0) {
      CHECK(noise(i) == T(1));
      CHECK(y(i) == x(i));
    } else if (!std::isnan(x(i))) {
      CHECK(noise(i) >= T(0.1));
      CHECK(noise(i) <= T(0.3));
      CHECK(y(i) == noise(i) * x(i));
    }
    dy(i) = static_cast<T>(i % 5) - T(2);
  }
  CHECK(std::isnan(y(0, 0)));
  CHECK(y(1, 0) == -std::numeric_limits<T>::infinity());
  r.backward_train(noise, dy, dx);
  CHECK((dx == dy * noise).all());
  using Catch::Matchers::Contains;
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> wrong(9, 30);
  CHECK_INVALID(r.forward_train(x, y, wrong, 7), Contains("forward_train") && Contains("noise is 9x30"));
  CHECK_INVALID(r.backward_train(noise, wrong, dx), Contains("backward_train") && Contains("dy is 9x30"));
}

}  // namespace

TEST_CASE("RReLU training: the same seed gives the same noise everywhere", "[rrelu]") {
  check_reproducible<float>();
  check_reproducible<double>();
}

TEST_CASE("RReLU training: slopes are uniform on [lower, upper]", "[rrelu]") {
  check_distribution<float>(1.0f / 8, 1.0f / 3);
  check_distribution<double>(1.0 / 8, 1.0 / 3);
  check_distribution<float>(0.1f, 0.9f);
}

TEST_CASE("RReLU training: forward and backward agree with the noise", "[rrelu]") {
  check_consistency<float>();
  check_consistency<double>();
}

// Found by tests/fuzz/fuzz_elementwise: a sampled slope of 0 (bounds [0, 0], or straddling 0)
// times x = −∞ gave NaN; the limit is 0. The eval slope of such bounds is tested in test_rrelu.cpp.
template <class T>
void check_zero_slope_at_minus_infinity() {
  const T inf = std::numeric_limits<T>::infinity();
  const activ::RReLU<T> f{T(0), T(0)};
  Eigen::Array<T, Eigen::Dynamic, 1> x = Eigen::Array<T, Eigen::Dynamic, 1>::LinSpaced(41, T(-5), T(5));
  x(3) = -inf;
  x(20) = inf;
  x(37) = -inf;
  x(38) = std::numeric_limits<T>::quiet_NaN();
  Eigen::Array<T, Eigen::Dynamic, 1> y(41), noise(41);
  f.forward_train(x, y, noise, 7);
  for (Eigen::Index i = 0; i < 41; ++i) {
    INFO("x = " << x(i) << ", y = " << y(i) << ", noise = " << noise(i));
    if (std::isnan(x(i))) {
      CHECK(std::isnan(y(i)));
    } else {
      CHECK(y(i) == (x(i) > 0 ? x(i) : T(0)));
    }
    CHECK(noise(i) == (x(i) > 0 ? T(1) : T(0)));
  }
}

TEST_CASE("RReLU training: a zero slope at x = −∞ gives 0", "[rrelu]") {
  check_zero_slope_at_minus_infinity<float>();
  check_zero_slope_at_minus_infinity<double>();
}
