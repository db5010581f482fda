// tests/test_sigmoid.cpp — activ::Sigmoid against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("Sigmoid<" + type + ">", activ::Sigmoid<T>{}, reference::sigmoid());
}

}  // namespace

TEST_CASE("Sigmoid: values and derivatives on every path", "[sigmoid]") {
  check_all<float>();
  check_all<double>();
}
