// tests/test_math.cpp — the leaf kernels of detail/math.hpp (exp, expm1, log1p) against long
// double, on the scalar path and the batch path of every supported arch, over their whole domain;
// and the kernels' division, correctly rounded on every arch.
#include "harness.hpp"

#include <activ/detail/math.hpp>

namespace {

using reference::real;

template <class T>
std::vector<T> kernel_inputs(T lo, T hi) {
  std::vector<T> v = harness::test_inputs<T>();
  const int steps = 200000;
  for (int i = 0; i <= steps; ++i) v.push_back(lo + (hi - lo) * static_cast<T>(i) / static_cast<T>(steps));
  for (int i = -60; i <= 60; ++i) v.push_back(std::ldexp(T(1), i));  // powers of two, around 0
  return v;
}

struct Kernel {
  const char* name;
  real (*reference)(real);
  double bound;
};

template <class T, class V>
V apply(int which, const V& x) {
  switch (which) {
    case 0:
      return activ::detail::exp(x);
    case 1:
      return activ::detail::expm1(x);
    default:
      return activ::detail::log1p(x);
  }
}

template <class T>
void check_kernels() {
  // Each rounds a double-word result once: within a few hundredths of an ULP of correct rounding
  // (0.52 measured) on normal results; a subnormal e^x is rounded twice, to the normal range and
  // then into the subnormal spacing (up to 0.75 of that spacing).
  const Kernel kernels[] = {{"exp", [](real x) { return std::exp(x); }, 0.76},
                            {"expm1", [](real x) { return std::expm1(x); }, 0.53},
                            {"log1p", [](real x) { return std::log1p(x); }, 0.53}};
  const T range = sizeof(T) == 4 ? T(110) : T(750);
  for (int which = 0; which < 3; ++which) {
    const Kernel& k = kernels[which];
    const std::vector<T> x = which == 2 ? kernel_inputs<T>(T(-1), T(4)) : kernel_inputs<T>(-range, range);
    std::vector<real> expected;
    for (T v : x) expected.push_back(k.reference(v));
    auto measure = [&](const std::string& path, const std::vector<T>& got) {
      harness::Worst worst;
      for (std::size_t i = 0; i < x.size(); ++i) {
        worst.add(harness::ulp_error<T>(got[i], expected[i]), x[i], got[i], expected[i]);
      }
      INFO(k.name << "<" << activ::detail::type_name<T>() << "> [" << path << "]: " << worst.where());
      CHECK(worst.ulp <= k.bound);
      harness::report(std::string(k.name) + "<" + activ::detail::type_name<T>() + ">", path, "value", worst);
    };
    std::vector<T> got;
    for (T v : x) got.push_back(apply<T>(which, v));
    measure("scalar", got);
    harness::for_each_arch<T>([&](auto arch) {
      using A = decltype(arch);
      using B = xsimd::batch<T, A>;
      alignas(A::alignment()) T buffer[B::size];
      std::vector<T> out(x.size());
      for (std::size_t i = 0; i < x.size(); i += B::size) {
        const std::size_t m = std::min(B::size, x.size() - i);
        std::fill(buffer, buffer + B::size, T(0));
        std::copy(x.begin() + i, x.begin() + i + m, buffer);
        apply<T>(which, B::load_aligned(buffer)).store_aligned(buffer);
        std::copy(buffer, buffer + m, out.begin() + i);
      }
      measure(std::string("batch ") + A::name(), out);
    });
  }
}

// detail::divide on every arch against the scalar quotient (IEEE division, correctly rounded).
// xsimd 8.1's float division on neon and neon64 is a refined reciprocal estimate, which differs
// from a/b in the last bit for some pairs.
template <class T>
void check_divide() {
  std::mt19937_64 random(20261124);
  std::uniform_real_distribution<T> significand(T(1), T(2));
  std::vector<T> a, b;
  for (int i = 0; i < 100000; ++i) {
    a.push_back(std::ldexp(significand(random), static_cast<int>(random() % 40) - 20));
    b.push_back(std::ldexp(significand(random), static_cast<int>(random() % 40) - 20));
  }
  harness::for_each_arch<T>([&](auto arch) {
    using A = decltype(arch);
    using B = xsimd::batch<T, A>;
    std::size_t differ = 0, first = 0;
    for (std::size_t i = 0; i + B::size <= a.size(); i += B::size) {
      alignas(A::alignment()) T q[B::size];
      activ::detail::divide(B::load_unaligned(&a[i]), B::load_unaligned(&b[i])).store_aligned(q);
      for (std::size_t k = 0; k < B::size; ++k) {
        if (q[k] != a[i + k] / b[i + k] && differ++ == 0) first = i + k;
      }
    }
    INFO(activ::detail::type_name<T>() << " [batch " << A::name() << "]: " << differ << " quotients differ, first "
                                       << a[first] << " / " << b[first]);
    CHECK(differ == 0);
  });
}

}  // namespace

TEST_CASE("the kernels' division is correctly rounded on every arch", "[math]") {
  check_divide<float>();
  check_divide<double>();
}

TEST_CASE("exp, expm1 and log1p kernels over their whole domain", "[math]") {
  check_kernels<float>();
  check_kernels<double>();
}
