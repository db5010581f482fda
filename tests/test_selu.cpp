// tests/test_selu.cpp — activ::SELU against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("SELU<" + type + ">", activ::SELU<T>{}, reference::selu());
}

}  // namespace

TEST_CASE("SELU: values and derivatives on every path", "[selu]") {
  check_all<float>();
  check_all<double>();
}
