// tests/test_hard_swish.cpp — activ::HardSwish against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("HardSwish<" + type + ">", activ::HardSwish<T>{}, reference::hard_swish());
}

}  // namespace

TEST_CASE("HardSwish: values and derivatives on every path", "[hard_swish]") {
  check_all<float>();
  check_all<double>();
}
