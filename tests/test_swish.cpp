// tests/test_swish.cpp — activ::Swish against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("Swish<" + type + ">", activ::Swish<T>{}, reference::swish(1));
  harness::check_elementwise<T>("Swish<" + type + ">(1.7)", activ::Swish<T>{T(1.7)}, reference::swish(T(1.7)));
  harness::check_elementwise<T>("Swish<" + type + ">(0.3)", activ::Swish<T>{T(0.3)}, reference::swish(T(0.3)));
  harness::check_elementwise<T>("Swish<" + type + ">(-1.1)", activ::Swish<T>{T(-1.1)}, reference::swish(T(-1.1)));
  // β = ±0: x/2 everywhere, ±∞ included, and f′(NaN) NaN, not 1/2 (found by tests/fuzz/fuzz_elementwise).
  harness::check_elementwise<T>("Swish<" + type + ">(0)", activ::Swish<T>{T(0)}, reference::swish(T(0)));
  harness::check_elementwise<T>("Swish<" + type + ">(-0)", activ::Swish<T>{-T(0)}, reference::swish(T(0)));
  // A huge β: x·σ(βx) below the normal range for x near it, where the portable ldexp rounded at
  // each of its factors (found by tests/fuzz/fuzz_elementwise at β = 8.1567·10^37, x = −3.1·10^−38).
  const T huge = sizeof(T) == 4 ? T(0x1p126) : T(0x1p1020);
  harness::check_elementwise<T>("Swish<" + type + ">(huge)", activ::Swish<T>{huge}, reference::swish(huge),
                                harness::accurate_bounds, harness::over_beta(huge));
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::Swish<T>(nan), Catch::Matchers::Contains("activ::Swish<") && Catch::Matchers::Contains("beta"));
  CHECK_INVALID(activ::Swish<T>(inf), Catch::Matchers::Contains("activ::Swish<") && Catch::Matchers::Contains("beta"));
}

}  // namespace

TEST_CASE("Swish: values and derivatives on every path", "[swish]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("Swish: invalid parameters throw", "[swish][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
