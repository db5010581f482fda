// One instantiation of fuzz_elementwise's body (elementwise_body.hpp): double, activ::fast.
#include "elementwise_body.hpp"

namespace fuzz {
void fuzz_elementwise_double_fast(ByteReader& in) { fuzz_elementwise<double, activ::fast>(in); }
}  // namespace fuzz
