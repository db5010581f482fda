// tests/test_openmp.cpp — the OpenMP split of the driver (built with OpenMP and ACTIV_OPENMP):
// an array split across threads gets the same bits as the same array done in pieces below the
// split threshold (serial), for several thread counts, offsets and lengths.
#include <activ/activ.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <omp.h>

#if !defined(ACTIV_OPENMP) || !defined(_OPENMP)
#error "tests/test_openmp.cpp is built with OpenMP and ACTIV_OPENMP"
#endif

#include <algorithm>
#include <cstring>
#include <limits>

namespace {

template <class T>
using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;

template <class T>
Vec<T> input(Eigen::Index n) {
  Vec<T> x(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = static_cast<T>((i * 7919) % 20011 - 10005) / T(250);
  x(3) = std::numeric_limits<T>::quiet_NaN();
  x(n - 2) = -std::numeric_limits<T>::infinity();
  return x;
}

template <class T>
bool same_bits(const Vec<T>& a, const Vec<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(T) * static_cast<std::size_t>(a.size())) == 0;
}

template <class F>
void check_split(const F& f) {
  using T = typename F::Scalar;
  INFO(activ::detail::qualified_name<T>(F::name));
  for (const Eigen::Index n : {Eigen::Index(3) << 16, (Eigen::Index(1) << 20) + 5}) {
    // Offsets 0 and 1: an output that starts aligned, and one that needs a head before streaming.
    for (const Eigen::Index offset : {0, 1}) {
      const Vec<T> all = input<T>(n + offset), dy_all = input<T>(n + offset).reverse();
      const auto x = all.segment(offset, n);
      const auto dy = dy_all.segment(offset, n);
      Vec<T> y_serial(n), dx_serial(n);
      constexpr Eigen::Index piece = 4093;  // far below the split threshold
      for (Eigen::Index i = 0; i < n; i += piece) {
        const Eigen::Index m = std::min(piece, n - i);
        f.forward(x.segment(i, m), y_serial.segment(i, m));
        f.backward(x.segment(i, m), dy.segment(i, m), dx_serial.segment(i, m));
      }
      for (const int threads : {2, 3}) {
        omp_set_num_threads(threads);
        Vec<T> y(n), dx(n);
        f.forward(x, y);
        f.backward(x, dy, dx);
        CHECK(same_bits(y, y_serial));
        CHECK(same_bits(dx, dx_serial));
      }
    }
  }
}

}  // namespace

TEST_CASE("the OpenMP split gives the serial result, bit for bit", "[openmp]") {
  check_split(activ::Sigmoid<float>{});
  check_split(activ::ELU<double>{0.5});
  check_split(activ::Softplus<float, activ::fast>{});
  check_split(activ::Swish<double>{});
}
