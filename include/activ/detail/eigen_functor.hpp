// activ/detail/eigen_functor.hpp — activ's functors inside Eigen's own expression evaluation.
//
// Eigen vectorizes x.unaryExpr(f) when functor_traits<F>::PacketAccess is true, calling
// f.packetOp(p) on its packets (Packet16f = __m512, Packet8f = __m256, Packet4f = __m128, NEON's
// float32x4_t, … and the half packets it uses for tails). Each packet type is the register of some
// xsimd arch the same flags enable; packetOp (elementwise.hpp) wraps the packet in that arch's
// batch, runs the functor's one generic body, and hands the register back. So
// (W * x + b).unaryExpr(activ::Tanh<float>{}) evaluates in one SIMD loop with no temporary.
#pragma once

#include "simd.hpp"

#include <Eigen/Core>

#include <type_traits>

namespace activ {
namespace detail {

// The first (best) xsimd arch whose batch<T, A> has N lanes, void if none: Eigen's packet of N
// lanes is that arch's register (matched by width, since register types carry attributes that
// cannot be template arguments).
template <class T, std::size_t N, class List>
struct arch_with_lanes_in;
template <class T, std::size_t N>
struct arch_with_lanes_in<T, N, xsimd::arch_list<>> {
  using type = void;
};
template <class T, std::size_t N, class A, class... Rest>
struct arch_with_lanes_in<T, N, xsimd::arch_list<A, Rest...>> {
  using type = std::conditional_t<xsimd::batch<T, A>::size == N, A,
                                  typename arch_with_lanes_in<T, N, xsimd::arch_list<Rest...>>::type>;
};

#if ACTIV_HAS_SIMD
template <class T, class Packet>
using arch_of_packet =
    typename arch_with_lanes_in<T, static_cast<std::size_t>(Eigen::internal::unpacket_traits<Packet>::size),
                                xsimd::supported_architectures>::type;

// Whether Eigen's full packet for T has an xsimd counterpart (true on every SIMD target Eigen and
// xsimd share: SSE, AVX, AVX-512, NEON).
template <class T>
inline constexpr bool eigen_packet_access =
    Eigen::internal::packet_traits<T>::Vectorizable &&
    !std::is_void<typename arch_with_lanes_in<T, static_cast<std::size_t>(Eigen::internal::packet_traits<T>::size),
                                              xsimd::supported_architectures>::type>::value;
#else
template <class T>
inline constexpr bool eigen_packet_access = false;
#endif

// Cost in Eigen's units (multiplications), for its decisions on evaluating nested expressions.
template <class T, int Multiplications>
struct eigen_functor_traits {
  enum {
    Cost = Multiplications * Eigen::NumTraits<T>::MulCost,
    PacketAccess = eigen_packet_access<T>,
    IsRepeatable = true
  };
};

}  // namespace detail
}  // namespace activ

// functor_traits for activ::NAME<T>, costing about COST multiplications per element.
#define ACTIV_EIGEN_FUNCTOR_TRAITS(NAME, COST)                                             \
  namespace Eigen {                                                                        \
  namespace internal {                                                                     \
  template <class T, class P>                                                                 \
  struct functor_traits<activ::NAME<T, P>> : activ::detail::eigen_functor_traits<T, COST> {}; \
  }                                                                                        \
  }
