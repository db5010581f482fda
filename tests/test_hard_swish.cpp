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

// Inputs where f′ = (2x + 3)/6 is exactly halfway between two values of T (float: found by exact
// integer arithmetic over every float in (−3, 3), 3.5 million such x; double: built from random
// midpoints M as x = (6M − 3)/2 where that is a double). The result must be the neighbour with the
// even last bit on every path; a correction fused with the rounded 1/6 sent many to the odd one
// (0.5 ULP, within the bound, but not the rounding the header promises).
template <class T>
void check_midpoints(const std::vector<T>& xs) {
  const activ::HardSwish<T> f;
  Eigen::Array<T, Eigen::Dynamic, 1> x(static_cast<Eigen::Index>(xs.size()));
  for (std::size_t i = 0; i < xs.size(); ++i) x(static_cast<Eigen::Index>(i)) = xs[i];
  const Eigen::Array<T, Eigen::Dynamic, 1> d = f.derivative(x);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    // (2x + 3)/6 is exact in long double (2x + 3 has at most p + 3 bits, the quotient p + 1).
    const long double exact = (2.0L * xs[i] + 3.0L) / 6.0L;
    const T even = static_cast<T>(exact);  // the conversion rounds to nearest, ties to even
    const T other = std::nextafter(even, static_cast<T>(exact < even ? -1 : 2));
    INFO("x = " << static_cast<double>(xs[i]));
    REQUIRE(static_cast<long double>(even) + other == 2 * exact);  // a tie indeed
    CHECK(f.derivative(xs[i]) == even);
    CHECK(d(static_cast<Eigen::Index>(i)) == even);
    harness::for_each_arch<T>([&](auto arch) {
      INFO(decltype(arch)::name());
      CHECK(f.derivative(xsimd::batch<T, decltype(arch)>(xs[i])).get(0) == even);
    });
  }
}

TEST_CASE("HardSwish′ rounds exact midpoints to even on every path", "[hard_swish]") {
  check_midpoints<float>({0x1.66464p-7f, 0x1.cc3c2p-6f, 0x1.4c13fp-5f, 0x1.e57d5p-5f, 0x1.3efac8p-4f, 0x1.8baf78p-4f,
                          0x1.d86428p-4f, 0x1.1eb474p-3f, 0x1.450eccp-3f, 0x1.6b6924p-3f, 0x1.91c37cp-3f,
                          0x1.b81dd4p-3f, -0x1.ffafap-7f, -0x1.7f877p-6f, -0x1.25b998p-5f, -0x1.726e48p-5f,
                          -0x1.bf22f8p-5f, -0x1.057344p-4f, 0x1.6dap-14f});
  check_midpoints<double>({0x1.68b2590d84f0bp-2, 0x1.b1fc7a5dc7de5p-2, -0x1.d1c8088ae9bap-8, 0x1.725d7b22e025dp-2,
                           0x1.7bf29cc255b2bp-2, 0x1.9a48c17c0f8p-13, 0x1.ef57f7333c587p-2, 0x1.b9fed0d531f17p-2});
}
