// tests/test_rrelu.cpp — activ::RReLU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>(
      "RReLU<" + type + ">", activ::RReLU<T>{},
      reference::leaky((static_cast<reference::real>(T(1) / T(8)) + static_cast<reference::real>(T(1) / T(3))) / 2));
  harness::check_elementwise<T>(
      "RReLU<" + type + ">(0.1, 0.3)", activ::RReLU<T>{T(0.1), T(0.3)},
      reference::leaky((static_cast<reference::real>(T(0.1)) + static_cast<reference::real>(T(0.3))) / 2));
  // Bounds straddling 0 symmetrically: the eval slope is 0, and f(−∞) = 0, not NaN (found by
  // tests/fuzz/fuzz_elementwise).
  harness::check_elementwise<T>("RReLU<" + type + ">(-1/16, 1/16)", activ::RReLU<T>{T(-0.0625), T(0.0625)},
                                reference::leaky(reference::real(0)));
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::RReLU<T>(nan, T(0.3)),
                Catch::Matchers::Contains("activ::RReLU<") && Catch::Matchers::Contains("lower"));
  CHECK_INVALID(activ::RReLU<T>(T(0.1), nan),
                Catch::Matchers::Contains("activ::RReLU<") && Catch::Matchers::Contains("upper"));
  CHECK_INVALID(activ::RReLU<T>(T(0.5), T(0.25)),
                Catch::Matchers::Contains("activ::RReLU<") && Catch::Matchers::Contains("lower must not exceed upper"));
  CHECK_INVALID(activ::RReLU<T>(-inf, T(0.3)),
                Catch::Matchers::Contains("activ::RReLU<") && Catch::Matchers::Contains("lower"));
}

}  // namespace

TEST_CASE("RReLU: values and derivatives on every path", "[rrelu]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("RReLU: invalid parameters throw", "[rrelu][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
