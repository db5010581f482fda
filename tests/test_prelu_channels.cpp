// tests/test_prelu_channels.cpp — PReLU with one alpha per channel (column): values, derivative,
// backward and the slope gradients, on both storage orders, against long double.
#include "harness.hpp"

namespace {

using reference::real;

template <class T, int Order>
void check_channels() {
  using M = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>;
  const Eigen::Index rows = 37, cols = 6;
  Eigen::Array<T, Eigen::Dynamic, 1> alpha(cols);
  alpha << T(0.25), T(-0.5), T(0), T(1.5), T(0.01), T(3);
  const activ::PReLU<T> f{alpha};
  CHECK(f.channels() == cols);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> spread(-5, 5);
  M x(rows, cols), dy(rows, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x(i) = static_cast<T>(spread(rng));
    dy(i) = static_cast<T>(spread(rng));
  }
  x(0, 0) = T(0);
  x(1, 1) = -std::numeric_limits<T>::infinity();
  x(2, 2) = std::numeric_limits<T>::quiet_NaN();
  M y(rows, cols), d(rows, cols), dx(rows, cols);
  Eigen::Array<T, Eigen::Dynamic, 1> dalpha(cols);
  f.forward(x, y);
  f.derivative(x, d);
  f.backward(x, dy, dx, dalpha);
  double worst = 0, gradient_excess = -1;
  for (Eigen::Index j = 0; j < cols; ++j) {
    const reference::Function ref = reference::leaky(alpha(j));
    real gradient = 0, magnitude = 0;
    for (Eigen::Index i = 0; i < rows; ++i) {
      worst = std::max(worst, harness::ulp_error<T>(y(i, j), ref.f(x(i, j))));
      worst = std::max(worst, harness::ulp_error<T>(d(i, j), ref.df(x(i, j))));
      worst = std::max(worst, harness::ulp_error<T>(dx(i, j), static_cast<real>(dy(i, j)) * ref.df(x(i, j))));
      const real term = x(i, j) > 0 ? 0.0L : static_cast<real>(dy(i, j)) * x(i, j);
      gradient += term;
      magnitude += std::fabs(term);
    }
    // The slope gradient is a sum of terms of both signs: it is accurate to a rounding of the result
    // plus a few eps of Σ|terms| (the condition of the sum), whatever the cancellation.
    const double allowed = 0.5 + static_cast<double>(2 * std::numeric_limits<T>::epsilon() * magnitude /
                                                     std::max(std::fabs(gradient), std::numeric_limits<real>::min()) /
                                                     std::numeric_limits<T>::epsilon());
    gradient_excess = std::max(gradient_excess, harness::ulp_error<T>(dalpha(j), gradient) - allowed);
  }
  CHECK(worst <= 1);
  CHECK(gradient_excess <= 0);
  CHECK(d(0, 0) == alpha(0));  // f′(0) = a
  // The returning forms, and the same values through the generic path for a shared alpha.
  const M returned = f.forward(x), returned_derivative = f.derivative(x);
  CHECK(((returned == y) || (returned.isNaN() && y.isNaN())).all());
  CHECK(((returned_derivative == d) || (returned_derivative.isNaN() && d.isNaN())).all());
  M y1(rows, cols);
  activ::PReLU<T>(alpha(3)).forward(x.col(3), y1.col(3));
  CHECK((y1.col(3) == y.col(3)).all());
  // A shared alpha's gradient sums over every element.
  Eigen::Array<T, 1, 1> shared_gradient;
  M finite = x;
  finite(1, 1) = T(-1);
  finite(2, 2) = T(-1);
  activ::PReLU<T>(T(0.3)).backward(finite, dy, dx, shared_gradient);
  real total = 0, magnitude = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const real term = finite(i) > 0 ? 0.0L : static_cast<real>(dy(i)) * finite(i);
    total += term;
    magnitude += std::fabs(term);
  }
  CHECK(std::fabs(shared_gradient(0) - total) <=
        std::numeric_limits<T>::epsilon() * (std::fabs(total) / 2 + 2 * magnitude));
}

}  // namespace

TEST_CASE("PReLU: per-channel alphas on both storage orders", "[prelu]") {
  check_channels<float, Eigen::ColMajor>();
  check_channels<float, Eigen::RowMajor>();
  check_channels<double, Eigen::ColMajor>();
  check_channels<double, Eigen::RowMajor>();
}

TEST_CASE("PReLU: per-channel shapes and parameters are validated", "[prelu][errors]") {
  using Catch::Matchers::Contains;
  Eigen::ArrayXf alpha = Eigen::ArrayXf::Constant(4, 0.25f);
  const activ::PReLU<float> f{alpha};
  Eigen::ArrayXXf x = Eigen::ArrayXXf::Ones(5, 3), y = Eigen::ArrayXXf::Constant(5, 3, -9.f);
  CHECK_INVALID(f.forward(x, y), Contains("activ::PReLU<float>::forward") && Contains("3 channels") && Contains("4"));
  CHECK((y == -9.f).all());
  Eigen::ArrayXf v = Eigen::ArrayXf::Ones(4), w = Eigen::ArrayXf::Constant(4, -9.f);
  CHECK_INVALID(f.forward(v, w), Contains("vector input") && Contains("single alpha"));
  CHECK((w == -9.f).all());
  Eigen::ArrayXXf x4 = Eigen::ArrayXXf::Ones(5, 4), dx = Eigen::ArrayXXf::Constant(5, 4, -9.f);
  Eigen::ArrayXf dalpha = Eigen::ArrayXf::Constant(3, -9.f);
  CHECK_INVALID(f.backward(x4, x4, dx, dalpha), Contains("dalpha") && Contains("4"));
  CHECK((dx == -9.f).all());
  CHECK((dalpha == -9.f).all());
  alpha(2) = std::numeric_limits<float>::quiet_NaN();
  CHECK_INVALID(activ::PReLU<float>{alpha}, Contains("activ::PReLU<float>") && Contains("alpha[2]"));
  CHECK_INVALID(activ::PReLU<float>{Eigen::ArrayXf()}, Contains("empty"));
}

// Found by fuzz_elementwise (tests/fuzz/regressions/fuzz_elementwise/prelu_dalpha_overflow_nan):
// in double the compensated sum of dy·x overflowed to −∞, its compensation became NaN, and the
// next term turned dalpha into NaN although no input was NaN.
TEST_CASE("PReLU: a dalpha beyond the range of double is infinite, not NaN", "[prelu]") {
  const double inf = std::numeric_limits<double>::infinity();
  Eigen::ArrayXXd x(3, 2), dy(3, 2), dx(3, 2);
  x << -1e200, -1e308, -1e200, -1e308, -3, -1;  // column 0: products overflow; column 1: the sum does
  dy << 1e200, 1.5, 1e200, 1.5, 1, 1;
  Eigen::ArrayXd dalpha(2);
  const activ::PReLU<double> channels{Eigen::ArrayXd::Constant(2, 0.25)};
  channels.backward(x, dy, dx, dalpha);
  CHECK(dalpha(0) == -inf);
  CHECK(dalpha(1) == -inf);
  Eigen::ArrayXd shared(1);
  activ::PReLU<double>{0.25}.backward(x, dy, dx, shared);
  CHECK(shared(0) == -inf);
  // Terms that overflow double with both signs still have an exact sum: here they cancel, and
  // dalpha is the remaining −3 (NaN before: found by fuzz_elementwise, regressions/fuzz_elementwise/
  // prelu_dalpha_overflows_both_signs).
  dy(1, 0) = -1e200;
  channels.backward(x, dy, dx, dalpha);
  CHECK(dalpha(0) == -3);
  CHECK(dalpha(1) == -inf);
  // An infinite input decides the sum, even beside finite terms that overflowed with the other
  // sign (found by fuzz_elementwise: regressions/fuzz_elementwise/prelu_dalpha_infinite_input_beside_overflow
  // gave NaN).
  x(1, 0) = -inf;
  dy(1, 0) = -1;  // (−1)·(−∞) = +∞, while (1e200)·(−1e200) overflows to −∞
  channels.backward(x, dy, dx, dalpha);
  CHECK(dalpha(0) == inf);
  activ::PReLU<double>{0.25}.backward(x, dy, dx, shared);
  CHECK(shared(0) == inf);  // one alpha over both columns: the same
}

// Found by fuzz_elementwise: a channel whose alpha is 0 gave f(−∞) = 0·∞ = NaN; its limit is 0.
template <class T, int Order>
void check_zero_alpha_channel() {
  using M = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>;
  const T inf = std::numeric_limits<T>::infinity();
  Eigen::Array<T, Eigen::Dynamic, 1> alpha(3);
  alpha << T(0.5), T(0), -T(0);
  const activ::PReLU<T> f{alpha};
  M x = M::Constant(19, 3, -inf), y(19, 3), d(19, 3);
  x(4, 1) = T(-2);
  x(5, 2) = std::numeric_limits<T>::quiet_NaN();
  f.forward(x, y);
  f.derivative(x, d);
  for (Eigen::Index i = 0; i < 19; ++i) {
    INFO("row " << i);
    CHECK(y(i, 0) == -inf);
    CHECK(d(i, 0) == T(0.5));
    CHECK(y(i, 1) == T(0));
    CHECK(d(i, 1) == T(0));
    if (i == 5) {
      CHECK(std::isnan(y(i, 2)));
      CHECK(std::isnan(d(i, 2)));
    } else {
      CHECK(y(i, 2) == T(0));
      CHECK(d(i, 2) == T(0));
    }
  }
}

TEST_CASE("PReLU: a zero alpha channel at x = −∞ gives 0", "[prelu]") {
  check_zero_alpha_channel<float, Eigen::ColMajor>();
  check_zero_alpha_channel<float, Eigen::RowMajor>();
  check_zero_alpha_channel<double, Eigen::ColMajor>();
  check_zero_alpha_channel<double, Eigen::RowMajor>();
}
