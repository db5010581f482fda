// One instantiation of fuzz_elementwise's body (elementwise_body.hpp): float, activ::fast.
#include "elementwise_body.hpp"

namespace fuzz {
void fuzz_elementwise_float_fast(ByteReader& in) { fuzz_elementwise<float, activ::fast>(in); }
}  // namespace fuzz
