// tests/test_math.cpp — the leaf kernels of detail/math.hpp (exp, expm1, log1p) against long
// double, on the scalar path and the batch path of every supported arch, over their whole domain.
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
    xsimd::supported_architectures::for_each([&](auto arch) {
      using A = decltype(arch);
      if (std::string(A::name()) == "fma4" && !xsimd::available_architectures().fma4) return;
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

}  // namespace

TEST_CASE("exp, expm1 and log1p kernels over their whole domain", "[math]") {
  check_kernels<float>();
  check_kernels<double>();
}

// Found by fuzz_elementwise under UBSan (tests/fuzz/regressions/fuzz_elementwise/
// pow2_shift_of_nan_exponent): on the scalar path, pow2 of a NaN exponent shifted a signed integer
// out of range, and log1p added to the bits of a NaN with a large payload (undefined behaviour,
// although the results were then discarded). Every NaN, whatever its sign and payload, gives NaN.
template <class T>
void check_nan_payloads() {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const U exponent = sizeof(T) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  const U sign = U(1) << (sizeof(T) * 8 - 1);
  for (U payload : {U(1), U(exponent >> 1 & ~exponent), U(~exponent & ~sign)}) {
    for (U s : {U(0), sign}) {
      const U bits = s | exponent | payload;
      T x;
      std::memcpy(&x, &bits, sizeof x);
      INFO("bits " << std::hex << static_cast<unsigned long long>(bits));
      CHECK(std::isnan(activ::detail::exp(x)));
      CHECK(std::isnan(activ::detail::expm1(x)));
      CHECK(std::isnan(activ::detail::log1p(x)));
      CHECK(std::isnan(activ::ELU<T>{}.derivative(x)));
      CHECK(std::isnan(activ::SELU<T>{}(x)));
      CHECK(std::isnan(activ::Sigmoid<T>{}(x)));
      CHECK(std::isnan(activ::Softplus<T>{}(x)));
      CHECK(std::isnan(activ::Softplus<T, activ::fast>{}(x)));
      CHECK(std::isnan(activ::Swish<T>{}.derivative(x)));
      CHECK(std::isnan(activ::Tanh<T, activ::fast>{}(x)));
    }
  }
}

TEST_CASE("Scalar kernels: a NaN of any sign and payload gives NaN", "[math]") {
  check_nan_payloads<float>();
  check_nan_payloads<double>();
}
