// tests/test_tanh.cpp — activ::Tanh against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("Tanh<" + type + ">", activ::Tanh<T>{}, reference::tanh());
}

}  // namespace

TEST_CASE("Tanh: values and derivatives on every path", "[tanh]") {
  check_all<float>();
  check_all<double>();
}
