// tests/test_from_output.cpp — derivative_from_output and backward_from_output: f′ computed from
// y = f(x). The reference is the long double formula of f′ in terms of y, evaluated at the y the
// forward pass actually stores (y rounded to T), and, where f′ is well-conditioned in y, f′(x)
// itself; every path (scalar, every SIMD arch, Eigen contiguous and strided, per-channel PReLU),
// and the parameters for which f′ is not a function of y are rejected.
#include "harness.hpp"

namespace {

using reference::real;

// f′ as a function of y, in long double.
struct FromOutput {
  std::function<real(real)> df;
};

// The largest errors allowed: of f′ from y and of dy·f′ in ULP of the function of y, of f′ in eps
// relative to f′(x) where y carries it well.
struct Limits {
  double derivative;
  double backward;
  double against_x;
};
constexpr Limits accurate_limits{1.5, 3.5, 8};

template <class T, class F>
void check_from_output(const std::string& label, const F& f, const reference::Function& ref, const FromOutput& g,
                       const Limits& limit = accurate_limits) {
  std::vector<T> xs = harness::test_inputs<T>();
  std::vector<T> ys;
  for (T x : xs) ys.push_back(static_cast<T>(ref.f(x)));  // y = f(x) correctly rounded
  harness::Worst scalar, batch, eigen, backward, against_x;
  const Eigen::Index n = static_cast<Eigen::Index>(ys.size());
  const harness::Column<T> y = Eigen::Map<const harness::Column<T>>(ys.data(), n);
  harness::Column<T> dy(n), d(n), dx(n);
  for (Eigen::Index i = 0; i < n; ++i) dy(i) = static_cast<T>(std::sin(static_cast<double>(i)) * 1.5);
  f.derivative_from_output(y, d);
  f.backward_from_output(y, dy, dx);
  for (Eigen::Index i = 0; i < n; ++i) {
    const T yi = y(i);
    const real expected = g.df(yi);
    scalar.add(harness::ulp_error<T>(f.derivative_from_output(yi), expected), yi, f.derivative_from_output(yi), expected);
    eigen.add(harness::ulp_error<T>(d(i), expected), yi, d(i), expected);
    const real product = static_cast<real>(dy(i)) * expected;
    backward.add(harness::ulp_error<T>(dx(i), product), yi, dx(i), product);
    // Where y carries f′ well (|f′(x)| not tiny next to 1 and y not saturated), it is f′(x) too.
    const T x = xs[static_cast<std::size_t>(i)];
    const real exact = ref.df(x);
    if (std::isfinite(x) && std::fabs(x) < 4 && std::fabs(exact) > 0.1L) {
      const real relative = std::fabs(static_cast<real>(d(i)) - exact) / std::fabs(exact);
      against_x.add(static_cast<double>(relative / std::numeric_limits<T>::epsilon()), x, d(i), exact);
    }
  }
  harness::for_each_arch<T>([&](auto arch) {
    using A = decltype(arch);
    using B = xsimd::batch<T, A>;
    alignas(A::alignment()) T in[B::size], out[B::size];
    for (std::size_t i = 0; i + B::size <= ys.size(); i += B::size) {
      std::copy(ys.begin() + static_cast<std::ptrdiff_t>(i), ys.begin() + static_cast<std::ptrdiff_t>(i + B::size), in);
      f.derivative_from_output(B::load_aligned(in)).store_aligned(out);
      for (std::size_t k = 0; k < B::size; ++k) batch.add(harness::ulp_error<T>(out[k], g.df(in[k])), in[k], out[k], g.df(in[k]));
    }
  });
  INFO(label << " scalar: " << scalar.where());
  CHECK(scalar.ulp <= limit.derivative);
  INFO(label << " batch: " << batch.where());
  CHECK(batch.ulp <= limit.derivative);
  INFO(label << " eigen: " << eigen.where());
  CHECK(eigen.ulp <= limit.derivative);
  INFO(label << " backward: " << backward.where());
  CHECK(backward.ulp <= limit.backward);
  INFO(label << " against f'(x), in eps: " << against_x.where());
  CHECK(against_x.ulp <= limit.against_x);

  // Strided operands give the same values.
  Eigen::Array<T, 2, Eigen::Dynamic> ys2(2, n), d2(2, n);
  ys2.row(1) = y.transpose();
  f.derivative_from_output(ys2.row(1), d2.row(0));
  CHECK(((d2.row(0).transpose() == d) || (d != d && d2.row(0).transpose() != d2.row(0).transpose())).all());
}

// softplus′ = 1 − e^−βy with βy rounded to T (as the functor computes it), 1 above the threshold.
template <class T>
FromOutput softplus_from_output(T beta, T threshold) {
  return {[beta, threshold](real y) {
    const T z = static_cast<T>(beta * static_cast<T>(y));
    return z > threshold ? 1.0L : -std::expm1(-static_cast<real>(z));
  }};
}

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  check_from_output<T>("ReLU<" + type + ">", activ::ReLU<T>{}, reference::relu(),
                       {[](real y) { return y > 0 ? 1.0L : (std::isnan(y) ? y : 0.0L); }});
  check_from_output<T>("LeakyReLU<" + type + ">", activ::LeakyReLU<T>{T(0.2)}, reference::leaky(T(0.2)),
                       {[](real y) { return y > 0 ? 1.0L : (std::isnan(y) ? y : static_cast<real>(T(0.2))); }});
  check_from_output<T>("PReLU<" + type + ">", activ::PReLU<T>{}, reference::leaky(T(0.25)),
                       {[](real y) { return y > 0 ? 1.0L : (std::isnan(y) ? y : 0.25L); }});
  const T s = activ::RReLU<T>{}.slope();
  check_from_output<T>("RReLU<" + type + ">", activ::RReLU<T>{}, reference::leaky((real(T(1) / T(8)) + real(T(1) / T(3))) / 2),
                       {[s](real y) { return y > 0 ? 1.0L : (std::isnan(y) ? y : static_cast<real>(s)); }});
  check_from_output<T>("ELU<" + type + ">(1.5)", activ::ELU<T>{T(1.5)}, reference::elu(T(1.5)),
                       {[](real y) { return y > 0 ? 1.0L : y + 1.5L; }});
  // λα as T's hi + lo: (y + hi) + lo, since hi + lo itself needs more bits than long double has.
  const real hi = activ::SELU<T>::lambda_alpha, lo = activ::detail::selu_constants<T>::lambda_alpha_lo;
  check_from_output<T>("SELU<" + type + ">", activ::SELU<T>{}, reference::selu(), {[hi, lo](real y) {
                         return y > 0 ? static_cast<real>(activ::SELU<T>::lambda) : (y + hi) + lo;
                       }});
  check_from_output<T>("Sigmoid<" + type + ">", activ::Sigmoid<T>{}, reference::sigmoid(),
                       {[](real y) { return y * (1 - y); }});
  check_from_output<T>("Tanh<" + type + ">", activ::Tanh<T>{}, reference::tanh(),
                       {[](real y) { return (1 - y) * (1 + y); }});
  check_from_output<T>("Softplus<" + type + ">(1.5, 20)", activ::Softplus<T>{T(1.5), T(20)},
                       reference::softplus<T>(T(1.5), T(20)), softplus_from_output<T>(T(1.5), T(20)));
}

// The fast policy's softplus′ from y is the fast e^x − 1 (its other f′ from y are the accurate
// arithmetic, above): within the fast bounds of the same function of y.
template <class T>
void check_fast_softplus() {
  const std::string type = activ::detail::type_name<T>();
  const Limits fast{harness::fast_bounds.derivative, harness::fast_bounds.backward, 8};
  for (const T beta : {T(1), T(1.5), T(-0.7)}) {
    check_from_output<T>("Softplus<" + type + ", fast>(" + std::to_string(beta) + ", 20)",
                         activ::Softplus<T, activ::fast>{beta, T(20)}, reference::softplus<T>(beta, T(20)),
                         softplus_from_output<T>(beta, T(20)), fast);
  }
}

}  // namespace

TEST_CASE("derivative_from_output and backward_from_output on every path", "[from_output]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("from the output: the fast policy's softplus′ on every path", "[from_output][fast]") {
  check_fast_softplus<float>();
  check_fast_softplus<double>();
}

TEST_CASE("from the output: per-channel PReLU", "[from_output][prelu]") {
  Eigen::ArrayXf alpha(3);
  alpha << 0.1f, 0.0f, 2.0f;
  const activ::PReLU<float> prelu{alpha};
  Eigen::ArrayXXf x = Eigen::ArrayXXf::Random(5, 3) * 4;
  x(0, 0) = 0.0f;
  const Eigen::ArrayXXf y = prelu.forward(x);
  const Eigen::ArrayXXf dy = Eigen::ArrayXXf::Random(5, 3);
  Eigen::ArrayXXf d(5, 3), dx(5, 3), d_x(5, 3), dx_x(5, 3);
  prelu.derivative_from_output(y, d);
  prelu.backward_from_output(y, dy, dx);
  prelu.derivative(x, d_x);
  prelu.backward(x, dy, dx_x);
  CHECK((d == d_x).all());  // with every alpha ≥ 0, y > 0 exactly where x > 0
  CHECK((dx == dx_x).all());
  Eigen::Array<float, 5, 3, Eigen::RowMajor> row_major_d;
  prelu.derivative_from_output(y, row_major_d);
  CHECK((row_major_d == d).all());
}

TEST_CASE("from the output: a negative slope is rejected before anything is written", "[from_output][errors]") {
  using Catch::Matchers::Contains;
  const Eigen::ArrayXf y = Eigen::ArrayXf::Constant(4, -0.5f);
  Eigen::ArrayXf d = Eigen::ArrayXf::Constant(4, 7.0f);
  CHECK_INVALID(activ::LeakyReLU<float>{-0.5f}.derivative_from_output(y, d),
                Contains("activ::LeakyReLU<float>::derivative_from_output") && Contains("negative_slope"));
  CHECK_INVALID(activ::ELU<float>{-1.0f}.backward_from_output(y, y, d),
                Contains("activ::ELU<float>::backward_from_output") && Contains("alpha"));
  CHECK_INVALID(activ::PReLU<float>{-0.25f}.derivative_from_output(-0.5f), Contains("alpha"));
  Eigen::ArrayXf alpha(2);
  alpha << 0.5f, -0.5f;
  Eigen::ArrayXXf ym = Eigen::ArrayXXf::Constant(3, 2, -1.0f), dm = Eigen::ArrayXXf::Constant(3, 2, 7.0f);
  CHECK_INVALID(activ::PReLU<float>{alpha}.derivative_from_output(ym, dm), Contains("alpha"));
  CHECK((d == 7.0f).all());
  CHECK((dm == 7.0f).all());
  Eigen::ArrayXf wrong(3);
  CHECK_INVALID(activ::Sigmoid<float>{}.derivative_from_output(y, wrong),
                Contains("derivative_from_output") && Contains("4x1") && Contains("3x1"));
}

// Found by tests/fuzz/fuzz_elementwise: softplus′ from y = 0 (x = −∞) was −0 from the scalar call
// and +0 from AVX-512 batches (xsimd negates there as 0 − v). σ(−∞) is +0 on every path now.
template <class T, class Policy = activ::accurate>
void check_softplus_zero() {
  const activ::Softplus<T, Policy> f;
  const T zero = T(0);
  CHECK_FALSE(std::signbit(f.derivative_from_output(zero)));
  harness::for_each_arch<T>([&](auto arch) {
    using B = xsimd::batch<T, decltype(arch)>;
    INFO(decltype(arch)::name());
    CHECK_FALSE(std::signbit(f.derivative_from_output(B(zero)).get(0)));
  });
  Eigen::Array<T, Eigen::Dynamic, 1> y = Eigen::Array<T, Eigen::Dynamic, 1>::Zero(37), d(37), dx(37);
  f.derivative_from_output(y, d);
  f.backward_from_output(y, Eigen::Array<T, Eigen::Dynamic, 1>::Constant(37, T(2)), dx);
  for (Eigen::Index i = 0; i < 37; ++i) {
    CHECK_FALSE(std::signbit(d(i)));
    CHECK_FALSE(std::signbit(dx(i)));
  }
}

TEST_CASE("from the output: softplus′ at y = 0 is +0 on every path", "[from_output][softplus]") {
  check_softplus_zero<float>();
  check_softplus_zero<double>();
  check_softplus_zero<float, activ::fast>();
  check_softplus_zero<double, activ::fast>();
}
