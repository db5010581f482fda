// tests/test_simd_config.cpp — which path the Eigen entry points take in this build: the SIMD path
// when xsimd has an arch for the compile flags, the scalar fallback with ACTIV_NO_SIMD (tools/test.sh's
// scalar part, ACTIV_TEST_NO_SIMD=ON). The harness checks every path's values in either build; this
// file checks that the scalar part really runs the scalar code and the others really do not.
//
// The witness is activ::fast's σ: a float batch on AVX-512 or AVX2 + FMA reads e^−z from a table
// of 2^(j/N) and a cubic or quartic, the scalar call evaluates the table-free polynomial, and the
// two differ in the last bit for some inputs (both are within the fast bounds). So there the Eigen
// result equals the scalar call on every element exactly when the Eigen path is scalar; on the
// other archs the batch runs the scalar call's arithmetic.
#include "harness.hpp"

#include <xsimd/xsimd.hpp>

namespace {

// Inputs where 1/(1 + e) and 1/(2 + u) have many different roundings: a fine grid over [−9, 9].
Eigen::ArrayXf witness_inputs() { return Eigen::ArrayXf::LinSpaced(1 << 16, -9.0f, 9.0f); }

// How many elements of f.forward(x) (the Eigen entry point) differ from f(x) (the scalar call).
template <class F>
long differences_from_scalar(const F& f, const Eigen::ArrayXf& x) {
  const Eigen::ArrayXf y = f.forward(x);
  long differing = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) differing += y(i) != f(x(i)) ? 1 : 0;
  return differing;
}

#if defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
constexpr bool xsimd_has_an_arch = false;
#else
constexpr bool xsimd_has_an_arch = true;
#endif

}  // namespace

#if defined(ACTIV_NO_SIMD)
static_assert(ACTIV_HAS_SIMD == 0, "ACTIV_NO_SIMD must switch the SIMD path off");
#else
static_assert(ACTIV_HAS_SIMD == (xsimd_has_an_arch ? 1 : 0), "the SIMD path is on exactly when xsimd has an arch");
#endif

TEST_CASE("the Eigen entry points take the SIMD path exactly when SIMD is on", "[simd-config]") {
  INFO("ACTIV_HAS_SIMD = " << ACTIV_HAS_SIMD << ", xsimd default arch: "
                           << (xsimd_has_an_arch ? xsimd::default_arch::name() : "none"));
  // Eigen's own packet path through activ functors (x.unaryExpr(f)) follows the same switch.
  CHECK(Eigen::internal::functor_traits<activ::Sigmoid<float>>::PacketAccess == (ACTIV_HAS_SIMD != 0));
  CHECK(Eigen::internal::functor_traits<activ::Tanh<double, activ::fast>>::PacketAccess == (ACTIV_HAS_SIMD != 0));

  const Eigen::ArrayXf x = witness_inputs();
  const activ::Tanh<float, activ::fast> tanh;
  const activ::Sigmoid<float, activ::fast> sigmoid;
  const long tanh_differences = differences_from_scalar(tanh, x);
  const long sigmoid_differences = differences_from_scalar(sigmoid, x);
  INFO("elements of forward() that differ from the scalar call: tanh " << tanh_differences << ", sigmoid "
                                                                       << sigmoid_differences);
#if !ACTIV_HAS_SIMD
  // The scalar fallback: every element is the scalar call's.
  CHECK(tanh_differences == 0);
  CHECK(sigmoid_differences == 0);
#else
  if constexpr (activ::detail::fast::exp_by_table<xsimd::batch<float>>()) {
    // The table's e^−z and the scalar polynomial's round differently: some element of σ must
    // differ from the scalar call (the float tanh is the same rational function on every path).
    CHECK(sigmoid_differences > 0);
  } else {
    // SSE, AVX without FMA, other archs: the batch evaluates the scalar call's operations, and the
    // paths agree to the bit: nothing tells them apart here.
    SUCCEED("SIMD on, no table: the paths agree to the bit");
  }
#endif
}
