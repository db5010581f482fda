// tests/test_prelu.cpp — activ::PReLU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("PReLU<" + type + ">", activ::PReLU<T>{}, reference::leaky(T(0.25)));
  harness::check_elementwise<T>("PReLU<" + type + ">(0.1)", activ::PReLU<T>{T(0.1)}, reference::leaky(T(0.1)));
  harness::check_elementwise<T>("PReLU<" + type + ">(3)", activ::PReLU<T>{T(3)}, reference::leaky(T(3)));
  // A zero alpha: f(−∞) = 0, not NaN (found by tests/fuzz/fuzz_elementwise).
  harness::check_elementwise<T>("PReLU<" + type + ">(0)", activ::PReLU<T>{T(0)}, reference::leaky(T(0)));
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::PReLU<T>(nan), Catch::Matchers::Contains("activ::PReLU<") && Catch::Matchers::Contains("alpha"));
  CHECK_INVALID(activ::PReLU<T>(inf), Catch::Matchers::Contains("activ::PReLU<") && Catch::Matchers::Contains("alpha"));
}

}  // namespace

TEST_CASE("PReLU: values and derivatives on every path", "[prelu]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("PReLU: invalid parameters throw", "[prelu][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
