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

// pow2 and ldexp take the exponent as a floating value. Every integer exponent of a normal power
// of two must give it exactly, exponents beyond the range must give 0 or ∞, and a NaN exponent (it
// comes from a NaN input, whose result is NaN anyway) must give NaN without undefined behaviour:
// the scalar path used to shift a negative or too large signed integer left there, which the
// sanitizer part of tools/test.sh (UBSan) reports.
namespace {

template <class T>
void check_powers_of_two() {
  using activ::detail::ldexp;
  using activ::detail::pow2;
  const int bias = std::numeric_limits<T>::max_exponent - 1;  // 127, 1023
  for (int n = 1 - bias; n <= bias; ++n) {
    INFO("n = " << n);
    CHECK(pow2(static_cast<T>(n)) == std::ldexp(T(1), n));
  }
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  for (T n : {nan, -nan, inf, -inf, T(3.5) * T(bias), -T(3.5) * T(bias), std::numeric_limits<T>::max(),
              std::numeric_limits<T>::lowest()}) {
    INFO("n = " << n);
    const T two = ldexp<2>(T(1.5), n), three = ldexp<3>(T(1.5), n);
    if (std::isnan(n)) {
      CHECK(std::isnan(ldexp<2>(nan, n)));
      CHECK(std::isnan(ldexp<3>(nan, n)));
    } else {
      CHECK(two == (n > 0 ? inf : T(0)));
      CHECK(three == (n > 0 ? inf : T(0)));
    }
  }
  // The kernels that scale by 2^n, on NaN and ±∞ inputs.
  for (T x : {nan, -nan, inf, -inf}) {
    INFO("x = " << x);
    CHECK((std::isnan(x) ? std::isnan(activ::detail::exp(x)) : activ::detail::exp(x) == (x > 0 ? inf : T(0))));
    CHECK((std::isnan(x) ? std::isnan(activ::detail::expm1(x)) : activ::detail::expm1(x) == (x > 0 ? inf : T(-1))));
  }
}

}  // namespace

TEST_CASE("pow2 and ldexp: exact powers, 0 or infinity beyond the range, NaN exponents", "[math]") {
  check_powers_of_two<float>();
  check_powers_of_two<double>();
}

// ldexp<2> and ldexp<3> round once, like std::ldexp (correctly rounded by the C library), for
// every v from 2^(min_exponent + 2·digits + 4) (2^−73, 2^−911) up, and ldexp_any also where v itself
// is smaller or subnormal: the portable form multiplies by two or three powers of two, and each of
// them rounded again once the product fell below the normal range (Swish with β = 8·10^37 at
// x = −3.1·10^−38 gave another result than AVX-512's one-instruction scalef; found by
// tests/fuzz/fuzz_elementwise). n is drawn so that the result lands in or near the subnormal range:
// 2^n is normal for some pairs (one product) and below the normal range for others (the factors).
// Every arch's batch and the scalar call, lane by lane, and batches that mix the two cases.
namespace {

struct plain_ldexp {
  static constexpr const char* name = "ldexp";
  template <int Parts, class V>
  static V call(const V& v, const V& n) {
    return activ::detail::ldexp<Parts>(v, n);
  }
};
struct any_ldexp {
  static constexpr const char* name = "ldexp_any";
  template <int Parts, class V>
  static V call(const V& v, const V& n) {
    return activ::detail::ldexp_any<Parts>(v, n);
  }
};

template <class T, class F>
void check_ldexp_rounds_once(int lowest_exponent) {
  using L = std::numeric_limits<T>;
  std::mt19937_64 random(20261124);
  std::vector<T> v;
  std::vector<int> n;
  for (int e = lowest_exponent; e <= 4; ++e) {
    for (int j = 0; j < 24; ++j) {
      const T significand = T(1) + static_cast<T>(random() >> 11) / T(0x1p53);
      v.push_back((j % 2 ? -1 : 1) * std::ldexp(significand, e));
      n.push_back(-static_cast<int>(random() % static_cast<unsigned>(L::digits + 4)) -
                  (e > L::min_exponent ? static_cast<int>(random() % static_cast<unsigned>(e - L::min_exponent + 1)) : 0));
    }
  }
  auto check = [&](const char* path, std::size_t i, T two, T three) {
    const T expected = std::ldexp(v[i], n[i]);
    INFO(path << ": " << F::name << "(" << v[i] << ", " << n[i] << ") = " << expected << ", <2> " << two
              << ", <3> " << three);
    CHECK(two == expected);
    CHECK(three == expected);
  };
  for (std::size_t i = 0; i < v.size(); ++i) {
    check("scalar", i, F::template call<2>(v[i], T(n[i])), F::template call<3>(v[i], T(n[i])));
  }
  harness::for_each_arch<T>([&](auto arch) {
    using B = xsimd::batch<T, decltype(arch)>;
    for (std::size_t i = 0; i < v.size(); ++i) {
      check(decltype(arch)::name(), i, F::template call<2>(B(v[i]), B(T(n[i]))).get(0),
            F::template call<3>(B(v[i]), B(T(n[i]))).get(0));
    }
    // Consecutive pairs side by side: batches whose lanes mix exponents where 2^n is normal (one
    // product) with exponents below (the factors), each lane still rounded once.
    for (std::size_t i = 0; i + B::size <= v.size(); i += B::size) {
      alignas(B::arch_type::alignment()) T vs[B::size], ns[B::size], two[B::size], three[B::size];
      for (std::size_t l = 0; l < B::size; ++l) {
        vs[l] = v[i + l];
        ns[l] = T(n[i + l]);
      }
      F::template call<2>(B::load_aligned(vs), B::load_aligned(ns)).store_aligned(two);
      F::template call<3>(B::load_aligned(vs), B::load_aligned(ns)).store_aligned(three);
      for (std::size_t l = 0; l < B::size; ++l) check(decltype(arch)::name(), i + l, two[l], three[l]);
    }
  });
}

template <class T>
void check_ldexp_forms() {
  using L = std::numeric_limits<T>;
  check_ldexp_rounds_once<T, plain_ldexp>(L::min_exponent + 2 * L::digits + 4);
  check_ldexp_rounds_once<T, any_ldexp>(L::min_exponent - L::digits);  // from the smallest subnormal
}

}  // namespace

TEST_CASE("ldexp rounds once on every arch from 2^(min_exponent + 2p + 4), ldexp_any for any v", "[math]") {
  check_ldexp_forms<float>();
  check_ldexp_forms<double>();
}

// detail::floor on every arch of the build, lane by lane against std::floor: NaN, ±∞ and values
// beyond 2^52 included. On SSE2/SSSE3, xsimd converts each double lane to int64 to floor it, which is
// undefined behaviour for those lanes unless they are kept out (UBSan, tools/test.sh's asan part).
namespace {

template <class T>
void check_floor() {
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  const std::vector<T> x = {nan,   -nan,   inf,    -inf,    T(0x1p60), -T(0x1p60), T(0x1p52) + T(1), -T(0x1p52) - T(1),
                            T(2.5), T(-2.5), T(-0.5), T(0.5), T(0),      -T(0),      T(-125),          T(1e30),
                            std::numeric_limits<T>::max(), std::numeric_limits<T>::lowest()};
  harness::for_each_arch<T>([&](auto arch) {
    using A = decltype(arch);
    using B = xsimd::batch<T, A>;
    alignas(A::alignment()) T buffer[B::size];
    for (std::size_t i = 0; i < x.size(); i += B::size) {
      const std::size_t m = std::min(B::size, x.size() - i);
      std::fill(buffer, buffer + B::size, T(0));
      std::copy(x.begin() + static_cast<std::ptrdiff_t>(i), x.begin() + static_cast<std::ptrdiff_t>(i + m), buffer);
      activ::detail::floor(B::load_aligned(buffer)).store_aligned(buffer);
      for (std::size_t j = 0; j < m; ++j) {
        INFO(A::name() << ": floor(" << x[i + j] << ") = " << buffer[j]);
        const T expected = std::floor(x[i + j]);
        CHECK((std::isnan(expected) ? std::isnan(buffer[j]) : buffer[j] == expected));
      }
    }
  });
}

}  // namespace

TEST_CASE("floor on every arch: NaN, infinities and integers beyond 2^52 are their own floor", "[math]") {
  check_floor<float>();
  check_floor<double>();
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
