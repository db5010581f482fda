// tests/test_leaky_relu.cpp — activ::LeakyReLU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("LeakyReLU<" + type + ">", activ::LeakyReLU<T>{},
                                reference::leaky(static_cast<T>(0.01)));
  harness::check_elementwise<T>("LeakyReLU<" + type + ">(0.2)", activ::LeakyReLU<T>{T(0.2)}, reference::leaky(T(0.2)));
  harness::check_elementwise<T>("LeakyReLU<" + type + ">(-1.5)", activ::LeakyReLU<T>{T(-1.5)},
                                reference::leaky(T(-1.5)));
  // A zero slope: f(−∞) is its limit 0, not 0·∞ = NaN (found by tests/fuzz/fuzz_elementwise).
  harness::check_elementwise<T>("LeakyReLU<" + type + ">(0)", activ::LeakyReLU<T>{T(0)}, reference::leaky(T(0)));
  harness::check_elementwise<T>("LeakyReLU<" + type + ">(-0)", activ::LeakyReLU<T>{-T(0)}, reference::leaky(T(0)));
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::LeakyReLU<T>(nan),
                Catch::Matchers::Contains("activ::LeakyReLU<") && Catch::Matchers::Contains("negative_slope"));
  CHECK_INVALID(activ::LeakyReLU<T>(inf),
                Catch::Matchers::Contains("activ::LeakyReLU<") && Catch::Matchers::Contains("negative_slope"));
  CHECK_INVALID(activ::LeakyReLU<T>(-inf),
                Catch::Matchers::Contains("activ::LeakyReLU<") && Catch::Matchers::Contains("negative_slope"));
}

}  // namespace

TEST_CASE("LeakyReLU: values and derivatives on every path", "[leaky_relu]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("LeakyReLU: invalid parameters throw", "[leaky_relu][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
