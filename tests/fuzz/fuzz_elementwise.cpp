// tests/fuzz/fuzz_elementwise.cpp — libFuzzer target over every elementwise functor: the first
// byte picks the scalar type (bit 0: double) and the policy (bit 1: activ::fast); the rest is read
// by elementwise_body.hpp, which documents the format and every check.
#include "elementwise_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ByteReader in(data, size);
  switch (in.byte() & 3) {
    case 0: fuzz::fuzz_elementwise_float_accurate(in); break;
    case 1: fuzz::fuzz_elementwise_double_accurate(in); break;
    case 2: fuzz::fuzz_elementwise_float_fast(in); break;
    default: fuzz::fuzz_elementwise_double_fast(in); break;
  }
  return 0;
}
