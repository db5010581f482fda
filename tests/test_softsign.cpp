// tests/test_softsign.cpp — activ::Softsign against the long double reference on every path.
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  const std::string type = activ::detail::type_name<T>();
  harness::check_elementwise<T>("Softsign<" + type + ">", activ::Softsign<T>{}, reference::softsign());
}

}  // namespace

TEST_CASE("Softsign: values and derivatives on every path", "[softsign]") {
  check_all<float>();
  check_all<double>();
}
