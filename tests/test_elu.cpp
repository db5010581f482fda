// tests/test_elu.cpp — activ::ELU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("ELU<" + type + ">", activ::ELU<T>{}, reference::elu(1));
  harness::check_elementwise<T>("ELU<" + type + ">(0.5)", activ::ELU<T>{T(0.5)}, reference::elu(T(0.5)));
  harness::check_elementwise<T>("ELU<" + type + ">(2.5)", activ::ELU<T>{T(2.5)}, reference::elu(T(2.5)));
  // α·e^x below the normal range for every x < 0 (found by tests/fuzz/fuzz_elementwise: at
  // x = −2.78125 the float derivative differed by one subnormal step between scalar and SIMD).
  const T min = std::numeric_limits<T>::min(), denorm = std::numeric_limits<T>::denorm_min();
  harness::check_elementwise<T>("ELU<" + type + ">(min)", activ::ELU<T>{min}, reference::elu(min));
  harness::check_elementwise<T>("ELU<" + type + ">(-min)", activ::ELU<T>{-min}, reference::elu(-min));
  harness::check_elementwise<T>("ELU<" + type + ">(4097·denorm_min)", activ::ELU<T>{4097 * denorm},
                                reference::elu(4097 * denorm));
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::ELU<T>(nan), Catch::Matchers::Contains("activ::ELU<") && Catch::Matchers::Contains("alpha"));
  CHECK_INVALID(activ::ELU<T>(inf), Catch::Matchers::Contains("activ::ELU<") && Catch::Matchers::Contains("alpha"));
}

}  // namespace

TEST_CASE("ELU: values and derivatives on every path", "[elu]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("ELU: invalid parameters throw", "[elu][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
