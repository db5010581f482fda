// activ/policy.hpp — how a functor trades accuracy for speed, chosen by its second template
// argument: activ::Sigmoid<float> is activ::Sigmoid<float, activ::accurate>.
//
//   activ::accurate  (the default) every result within 1 ULP (f), 2 ULP (f′) of the exact value,
//                    for every input, subnormal results included; the same bits on every path.
//   activ::fast      each operation rounds on its own, float e^x in the logistic family (σ, σ′,
//                    tanh′, swish, softplus′) and e^x − 1 in ELU and SELU read a table of
//                    2^(j/16) (AVX-512) or 2^(j/8) (AVX2 + FMA) for a shorter polynomial, and
//                    float tanh is a rational function where FMA is: within 6 ULP (f, f′),
//                    subnormal results included (docs/accuracy.md gives the measured maxima); the
//                    special values (NaN, ±∞, no spurious overflow) and the β·x compensation as in
//                    the accurate policy; results may differ in the last bits between SIMD archs.
//
// Functors whose accurate form is already as fast as any (ReLU, LeakyReLU, PReLU) take the policy
// and ignore it, so that code can switch every activation at once.
#pragma once

#include <type_traits>

namespace activ {

struct accurate {};
struct fast {};

// Every elementwise functor, declared once here with its default policy.
template <class T, class Policy = accurate>
struct ReLU;
template <class T, class Policy = accurate>
struct LeakyReLU;
template <class T, class Policy = accurate>
struct PReLU;
template <class T, class Policy = accurate>
struct RReLU;
template <class T, class Policy = accurate>
struct ELU;
template <class T, class Policy = accurate>
struct SELU;
template <class T, class Policy = accurate>
struct Sigmoid;
template <class T, class Policy = accurate>
struct Tanh;
template <class T, class Policy = accurate>
struct Softsign;
template <class T, class Policy = accurate>
struct Softplus;
template <class T, class Policy = accurate>
struct Swish;
template <class T, class Policy = accurate>
struct HardSwish;
template <class T, class Policy = accurate>
struct Softmax;
template <class T, class Policy = accurate>
struct LogSoftmax;

namespace detail {
template <class P>
inline constexpr bool is_policy_v = std::is_same<P, accurate>::value || std::is_same<P, fast>::value;
template <class P>
inline constexpr bool is_fast_v = std::is_same<P, fast>::value;
}  // namespace detail

}  // namespace activ
