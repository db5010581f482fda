// tests/test_fast.cpp — the activ::fast policy of every functor against the long double reference
// on every path, within its documented bounds (docs/accuracy.md: 5 ULP forward and derivative),
// with the special values of the accurate policy (NaN, ±∞, subnormal results, no overflow).
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  using P = activ::fast;
  const std::string t = std::string("<") + activ::detail::type_name<T>() + ", fast>";
  const harness::Bounds& b = harness::fast_bounds;
  harness::check_elementwise<T>("ReLU" + t, activ::ReLU<T, P>{}, reference::relu(), b);
  harness::check_elementwise<T>("LeakyReLU" + t, activ::LeakyReLU<T, P>{T(0.2)}, reference::leaky(T(0.2)), b);
  harness::check_elementwise<T>("PReLU" + t, activ::PReLU<T, P>{}, reference::leaky(T(0.25)), b);
  harness::check_elementwise<T>("RReLU" + t, activ::RReLU<T, P>{},
                                reference::leaky((reference::real(T(1) / T(8)) + reference::real(T(1) / T(3))) / 2), b);
  harness::check_elementwise<T>("ELU" + t, activ::ELU<T, P>{}, reference::elu(1), b);
  harness::check_elementwise<T>("ELU" + t + "(2.5)", activ::ELU<T, P>{T(2.5)}, reference::elu(2.5), b);
  harness::check_elementwise<T>("SELU" + t, activ::SELU<T, P>{}, reference::selu(), b);
  harness::check_elementwise<T>("Sigmoid" + t, activ::Sigmoid<T, P>{}, reference::sigmoid(), b);
  // The float tanh is a rational function where mul_add fuses (detail/fast_math.hpp): 5.15 ULP at
  // most on every float, so the documented bound, 6, is what it is held to there.
  const bool rational_tanh = std::is_same<T, float>::value && ACTIV_FUSED_MUL_ADD;
  const harness::Bounds tanh_bounds{rational_tanh ? 6.0 : b.forward, b.derivative, b.backward};
  harness::check_elementwise<T>("Tanh" + t, activ::Tanh<T, P>{}, reference::tanh(), tanh_bounds);
  harness::check_elementwise<T>("Softsign" + t, activ::Softsign<T, P>{}, reference::softsign(), b);
  harness::check_elementwise<T>("Softplus" + t, activ::Softplus<T, P>{}, reference::softplus<T>(T(1), T(20)), b);
  harness::check_elementwise<T>("Softplus" + t + "(0.3, 37)", activ::Softplus<T, P>{T(0.3), T(37)},
                                reference::softplus<T>(T(0.3), T(37)), b);
  harness::check_elementwise<T>("Swish" + t, activ::Swish<T, P>{}, reference::swish(1), b);
  harness::check_elementwise<T>("Swish" + t + "(1.7)", activ::Swish<T, P>{T(1.7)}, reference::swish(T(1.7)), b);
  harness::check_elementwise<T>("Swish" + t + "(-1.1)", activ::Swish<T, P>{T(-1.1)}, reference::swish(T(-1.1)), b);
  // Parameters at the edges (found by tests/fuzz/fuzz_elementwise): a zero slope or β, and a
  // subnormal β whose reciprocal overflows.
  harness::check_elementwise<T>("LeakyReLU" + t + "(0)", activ::LeakyReLU<T, P>{T(0)}, reference::leaky(T(0)), b);
  harness::check_elementwise<T>("PReLU" + t + "(0)", activ::PReLU<T, P>{T(0)}, reference::leaky(T(0)), b);
  harness::check_elementwise<T>("Swish" + t + "(0)", activ::Swish<T, P>{T(0)}, reference::swish(T(0)), b);
  const T min = std::numeric_limits<T>::min();
  harness::check_elementwise<T>("ELU" + t + "(min)", activ::ELU<T, P>{min}, reference::elu(min), b);
  // α·q(u) overflowed in the table's form (found by tests/fuzz/fuzz_elementwise: +∞ for ELU(max)
  // at x = −9.01 on the Eigen path, −0.99988·max on the scalar one).
  const T max = std::numeric_limits<T>::max();
  harness::check_elementwise<T>("ELU" + t + "(max)", activ::ELU<T, P>{max}, reference::elu(max), b);
  harness::check_elementwise<T>("ELU" + t + "(-max)", activ::ELU<T, P>{-max}, reference::elu(-max), b);
  const T tiny = min / 2;
  harness::check_elementwise<T>("Softplus" + t + "(min/2, 20)", activ::Softplus<T, P>{tiny, T(20)},
                                reference::softplus<T>(tiny, T(20)), b);
  harness::check_elementwise<T>("Softplus" + t + "(-min/2, 20)", activ::Softplus<T, P>{-tiny, T(20)},
                                reference::softplus<T>(-tiny, T(20)), b);
  harness::check_elementwise<T>("HardSwish" + t, activ::HardSwish<T, P>{}, reference::hard_swish(), b);
}

// σ′ ≤ 1/4 and tanh′ ≤ 1 exactly; near x = 0 the fast logistic parts rounded them up by two ULP
// (tanh′ = 1 + 2^−22 at x = 6.5·10^−8 from the scalar call), and at dy = max the backward overflowed
// to ∞ on one path and not on another (found by tests/fuzz/fuzz_elementwise).
template <class T, class F>
void check_derivative_bound(const F& f, T bound) {
  using A = Eigen::Array<T, Eigen::Dynamic, 1>;
  std::vector<T> values{T(0), T(6.5361746237613261e-08)};
  for (int e = 4; e <= 64; ++e) {
    for (int j = 0; j < 16; ++j) values.push_back(std::ldexp(T(1) + T(j) / T(16), -e));
  }
  const Eigen::Index n = static_cast<Eigen::Index>(values.size());
  A x(2 * n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(2 * i) = values[static_cast<std::size_t>(i)];
    x(2 * i + 1) = -values[static_cast<std::size_t>(i)];
  }
  const T max = std::numeric_limits<T>::max();
  A d(2 * n), dx(2 * n);
  f.derivative(x, d);
  f.backward(x, A::Constant(2 * n, max), dx);
  for (Eigen::Index i = 0; i < 2 * n; ++i) {
    INFO(F::name << " at x = " << x(i));
    CHECK(f.derivative(x(i)) <= bound);
    CHECK(d(i) <= bound);
    CHECK(std::isfinite(dx(i)));
    harness::for_each_arch<T>([&](auto arch) {
      INFO(decltype(arch)::name());
      CHECK(f.derivative(xsimd::batch<T, decltype(arch)>(x(i))).get(0) <= bound);
    });
  }
}

template <class T>
void check_derivative_bounds() {
  check_derivative_bound<T>(activ::Sigmoid<T, activ::fast>{}, T(0.25));
  check_derivative_bound<T>(activ::Tanh<T, activ::fast>{}, T(1));
}

}  // namespace

TEST_CASE("the fast policy: sigmoid′ ≤ 1/4 and tanh′ ≤ 1 on every path, dy·tanh′ finite at dy = max",
          "[fast][sigmoid][tanh]") {
  check_derivative_bounds<float>();
  check_derivative_bounds<double>();
}

// The fast float tanh's largest errors on every float (exhaustive, detail/fast_math.hpp), near 1,
// and the clamp: on every path within the documented 6 ULP, never above 1, odd.
TEST_CASE("the fast policy: tanh at its worst inputs and its clamp on every path", "[fast][tanh]") {
  const activ::Tanh<float, activ::fast> f;
  for (const float a : {6.45581818f, 6.36695910f, 4.13633156f, 7.03170204f, 7.58907223f, 9.01f, 9.02f, 9.03f}) {
    for (const float x : {a, -a}) {
      INFO("x = " << x);
      const reference::real ref = reference::tanh().f(reference::real(x));
      Eigen::ArrayXf y(1);
      f.forward(Eigen::ArrayXf::Constant(1, x), y);
      CHECK(harness::ulp_error(f(x), ref) <= 6.0);
      CHECK(harness::ulp_error(y(0), ref) <= 6.0);
      CHECK(std::fabs(f(x)) <= 1.0f);
      harness::for_each_arch<float>([&](auto arch) {
        INFO(decltype(arch)::name());
        const float b = f(xsimd::batch<float, decltype(arch)>(x)).get(0);
        CHECK(harness::ulp_error(b, ref) <= 6.0);
        CHECK(std::fabs(b) <= 1.0f);
      });
    }
  }
}

TEST_CASE("the fast policy: values and derivatives on every path", "[fast]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("the fast policy inside Eigen expressions", "[fast][expressions]") {
  const Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(1024, -20.0f, 20.0f);  // whole packets: Eigen's tail packets are narrower archs, whose results may differ
  const activ::Tanh<float, activ::fast> f;
  const Eigen::ArrayXf lazy = (x * 2.0f).unaryExpr(f);
  const Eigen::ArrayXf direct = f.forward(Eigen::ArrayXf(x * 2.0f));
  CHECK((lazy == direct).all());
}
