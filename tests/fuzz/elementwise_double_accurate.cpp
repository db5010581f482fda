// One instantiation of fuzz_elementwise's body (elementwise_body.hpp): double, activ::accurate.
#include "elementwise_body.hpp"

namespace fuzz {
void fuzz_elementwise_double_accurate(ByteReader& in) { fuzz_elementwise<double, activ::accurate>(in); }
}  // namespace fuzz
