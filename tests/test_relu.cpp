// tests/test_relu.cpp — activ::ReLU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("ReLU<" + type + ">", activ::ReLU<T>{}, reference::relu());
}

}  // namespace

TEST_CASE("ReLU: values and derivatives on every path", "[relu]") {
  check_all<float>();
  check_all<double>();
}
