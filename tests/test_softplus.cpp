// tests/test_softplus.cpp — activ::Softplus against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("Softplus<" + type + ">", activ::Softplus<T>{}, reference::softplus<T>(T(1), T(20)));
  harness::check_elementwise<T>("Softplus<" + type + ">(1.7, 15)", activ::Softplus<T>{T(1.7), T(15)},
                                reference::softplus<T>(T(1.7), T(15)));
  harness::check_elementwise<T>("Softplus<" + type + ">(0.3, 37)", activ::Softplus<T>{T(0.3), T(37)},
                                reference::softplus<T>(T(0.3), T(37)));
  harness::check_elementwise<T>("Softplus<" + type + ">(-2, 20)", activ::Softplus<T>{T(-2), T(20)},
                                reference::softplus<T>(T(-2), T(20)));
  // A subnormal β, whose reciprocal overflows: f(0) = ln 2/β is still finite (1.2·10^38 in float),
  // and beyond T's range the result is ±∞, not NaN (found by tests/fuzz/fuzz_elementwise).
  const T tiny = std::numeric_limits<T>::min() / 2;
  harness::check_elementwise<T>("Softplus<" + type + ">(min/2, 20)", activ::Softplus<T>{tiny, T(20)},
                                reference::softplus<T>(tiny, T(20)));
  harness::check_elementwise<T>("Softplus<" + type + ">(-min/2, 20)", activ::Softplus<T>{-tiny, T(20)},
                                reference::softplus<T>(-tiny, T(20)));
  // A threshold of ∞: where β·x overflows f is x (the formula gave NaN; found by
  // tests/fuzz/fuzz_elementwise at β = −16447.75, x = −5.2·10^36).
  const T inf = std::numeric_limits<T>::infinity();
  harness::check_elementwise<T>("Softplus<" + type + ">(2, inf)", activ::Softplus<T>{T(2), inf},
                                reference::softplus<T>(T(2), inf));
  harness::check_elementwise<T>("Softplus<" + type + ">(-2, inf)", activ::Softplus<T>{T(-2), inf},
                                reference::softplus<T>(T(-2), inf));
  // A huge β: e^(βx)/β below the normal range where βx < −(p+3)·ln 2, the quotient near the
  // subnormal range and then scaled by its power of two: the portable ldexp rounded at each of its
  // factors there (7 of 200 000 random inputs at this float β, three of them listed here).
  const T huge = sizeof(T) == 4 ? T(0x1.4ccccdp104) : T(0x1.3p1020);
  std::vector<T> extra = harness::over_beta(huge);
  if (sizeof(T) == 4) extra.insert(extra.end(), {T(-0x1.2f1038p-100), T(-0x1.4c65bap-100), T(-0x1.0ece9cp-100)});
  harness::check_elementwise<T>("Softplus<" + type + ">(huge, 20)", activ::Softplus<T>{huge, T(20)},
                                reference::softplus<T>(huge, T(20)), harness::accurate_bounds, extra);
}

template <class T>
void check_invalid() {
  const T nan = harness::nan<T>, inf = harness::inf<T>;
  (void)inf;
  CHECK_INVALID(activ::Softplus<T>(T(0), T(20)),
                Catch::Matchers::Contains("activ::Softplus<") && Catch::Matchers::Contains("beta"));
  CHECK_INVALID(activ::Softplus<T>(nan, T(20)),
                Catch::Matchers::Contains("activ::Softplus<") && Catch::Matchers::Contains("beta"));
  CHECK_INVALID(activ::Softplus<T>(inf, T(20)),
                Catch::Matchers::Contains("activ::Softplus<") && Catch::Matchers::Contains("beta"));
  CHECK_INVALID(activ::Softplus<T>(T(1), nan),
                Catch::Matchers::Contains("activ::Softplus<") && Catch::Matchers::Contains("threshold"));
}

}  // namespace

TEST_CASE("Softplus: values and derivatives on every path", "[softplus]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("Softplus: invalid parameters throw", "[softplus][errors]") {
  check_invalid<float>();
  check_invalid<double>();
}
