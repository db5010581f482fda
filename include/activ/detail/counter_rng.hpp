// activ/detail/counter_rng.hpp — uniform random numbers as a pure function of (seed, index).
//
// RReLU's training noise must be the same on every SIMD arch, build, storage order and thread
// count, so there is no generator state: the uniform for element `index` of a call with `seed` is
// hash(seed, index). The hash is built from 32-bit integer operations only (exact on every arch):
//   key   = three 32-bit words from SplitMix64 of the seed (Steele, Lea & Flood, "Fast splittable
//           pseudorandom number generators", 2014);
//   h     = mix(mix(lo32(index) + k0) ^ (hi32(index) + k_stream)),
// where mix is the "lowbias32" integer finalizer (xor-shift / multiply rounds with constants
// 0x7feb352d and 0x846ca68b, found by C. Wellons' hash prospector search, 2018). A float takes the
// top 23 bits of one h, a double 52 bits of two (streams 1 and 2). The distribution is checked by
// tests/test_rrelu_train.cpp (mean, variance, bounds, Kolmogorov–Smirnov over 10^6 samples).
#pragma once

#include "simd.hpp"

#include <cstdint>

namespace activ {
namespace detail {

struct noise_key {
  std::uint32_t k0, k1, k2;
};

inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline noise_key make_noise_key(std::uint64_t seed) noexcept {
  std::uint64_t state = seed;
  const std::uint64_t a = splitmix64(state), b = splitmix64(state);
  return {static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32), static_cast<std::uint32_t>(b)};
}

// U = std::uint32_t or xsimd::batch<std::uint32_t, A>.
template <class U>
inline U mix32(U x) noexcept {
  x = x ^ (x >> 16);
  x = x * U(0x7feb352dU);
  x = x ^ (x >> 15);
  x = x * U(0x846ca68bU);
  x = x ^ (x >> 16);
  return x;
}

template <class U>
inline U hash32(const U& lo, const U& hi, const U& k0, const U& k_stream) noexcept {
  return detail::mix32(detail::mix32(lo + k0) ^ (hi + k_stream));
}

}  // namespace detail
}  // namespace activ
