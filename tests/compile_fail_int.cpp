// Must NOT compile: activ's functors accept float and double only (see tests/CMakeLists.txt).
#include <activ/sigmoid.hpp>

int main() { return activ::Sigmoid<int>{}(1); }
