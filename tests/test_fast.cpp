// tests/test_fast.cpp — the activ::fast policy of every functor against the long double reference
// on every path, within its documented bounds (docs/accuracy.md: 5 ULP forward and derivative),
// with the special values of the accurate policy (NaN, ±∞, subnormal results, no overflow).
#include "harness.hpp"

namespace {

template <class T>
void check_all() {
  using P = activ::fast;
  const std::string t = std::string("<") + activ::detail::type_name<T>() + ", fast>";
  const harness::Bounds& b = harness::fast_bounds;
  harness::check_elementwise<T>("ReLU" + t, activ::ReLU<T, P>{}, reference::relu(), b);
  harness::check_elementwise<T>("LeakyReLU" + t, activ::LeakyReLU<T, P>{T(0.2)}, reference::leaky(T(0.2)), b);
  harness::check_elementwise<T>("PReLU" + t, activ::PReLU<T, P>{}, reference::leaky(T(0.25)), b);
  harness::check_elementwise<T>("RReLU" + t, activ::RReLU<T, P>{},
                                reference::leaky((reference::real(T(1) / T(8)) + reference::real(T(1) / T(3))) / 2), b);
  harness::check_elementwise<T>("ELU" + t, activ::ELU<T, P>{}, reference::elu(1), b);
  harness::check_elementwise<T>("ELU" + t + "(2.5)", activ::ELU<T, P>{T(2.5)}, reference::elu(2.5), b);
  harness::check_elementwise<T>("SELU" + t, activ::SELU<T, P>{}, reference::selu(), b);
  harness::check_elementwise<T>("Sigmoid" + t, activ::Sigmoid<T, P>{}, reference::sigmoid(), b);
  harness::check_elementwise<T>("Tanh" + t, activ::Tanh<T, P>{}, reference::tanh(), b);
  harness::check_elementwise<T>("Softsign" + t, activ::Softsign<T, P>{}, reference::softsign(), b);
  harness::check_elementwise<T>("Softplus" + t, activ::Softplus<T, P>{}, reference::softplus<T>(T(1), T(20)), b);
  harness::check_elementwise<T>("Softplus" + t + "(0.3, 37)", activ::Softplus<T, P>{T(0.3), T(37)},
                                reference::softplus<T>(T(0.3), T(37)), b);
  harness::check_elementwise<T>("Swish" + t, activ::Swish<T, P>{}, reference::swish(1), b);
  harness::check_elementwise<T>("Swish" + t + "(1.7)", activ::Swish<T, P>{T(1.7)}, reference::swish(T(1.7)), b);
  harness::check_elementwise<T>("Swish" + t + "(-1.1)", activ::Swish<T, P>{T(-1.1)}, reference::swish(T(-1.1)), b);
  // Parameters at the edges (found by tests/fuzz/fuzz_elementwise): a zero slope or β, and a
  // subnormal β whose reciprocal overflows.
  harness::check_elementwise<T>("LeakyReLU" + t + "(0)", activ::LeakyReLU<T, P>{T(0)}, reference::leaky(T(0)), b);
  harness::check_elementwise<T>("PReLU" + t + "(0)", activ::PReLU<T, P>{T(0)}, reference::leaky(T(0)), b);
  harness::check_elementwise<T>("Swish" + t + "(0)", activ::Swish<T, P>{T(0)}, reference::swish(T(0)), b);
  const T tiny = std::numeric_limits<T>::min() / 2;
  harness::check_elementwise<T>("Softplus" + t + "(min/2, 20)", activ::Softplus<T, P>{tiny, T(20)},
                                reference::softplus<T>(tiny, T(20)), b);
  harness::check_elementwise<T>("Softplus" + t + "(-min/2, 20)", activ::Softplus<T, P>{-tiny, T(20)},
                                reference::softplus<T>(-tiny, T(20)), b);
  harness::check_elementwise<T>("HardSwish" + t, activ::HardSwish<T, P>{}, reference::hard_swish(), b);
}

}  // namespace

TEST_CASE("the fast policy: values and derivatives on every path", "[fast]") {
  check_all<float>();
  check_all<double>();
}

TEST_CASE("the fast policy inside Eigen expressions", "[fast][expressions]") {
  const Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(1024, -20.0f, 20.0f);  // whole packets: Eigen's tail packets are narrower archs, whose reciprocal estimates differ
  const activ::Tanh<float, activ::fast> f;
  const Eigen::ArrayXf lazy = (x * 2.0f).unaryExpr(f);
  const Eigen::ArrayXf direct = f.forward(Eigen::ArrayXf(x * 2.0f));
  CHECK((lazy == direct).all());
}
