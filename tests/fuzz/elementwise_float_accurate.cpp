// One instantiation of fuzz_elementwise's body (elementwise_body.hpp): float, activ::accurate.
#include "elementwise_body.hpp"

namespace fuzz {
void fuzz_elementwise_float_accurate(ByteReader& in) { fuzz_elementwise<float, activ::accurate>(in); }
}  // namespace fuzz
