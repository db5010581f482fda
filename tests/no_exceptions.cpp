// tests/no_exceptions.cpp — activ without exceptions (-fno-exceptions).
//
// Built twice (tests/CMakeLists.txt):
//   activ_no_exceptions     with -fno-exceptions, and with ACTIV_USE_EVERYTHING: it instantiates
//                           every entry point of every functor, so that building it shows the
//                           library compiles without exceptions;
//   activ_with_exceptions   the same invalid calls with exceptions, printing what they throw.
// `program N` makes invalid call N. With exceptions the program prints "activ: " and the message
// of the std::invalid_argument it caught, and exits 0; without, the library itself must print the
// same line to stderr and abort (this program prints nothing). tests/no_exceptions.cmake compares
// the two. An N past the last case exits 3.
#include <activ/activ.hpp>

#include <Eigen/Core>

#include <cstdio>
#include <cstdlib>
#include <limits>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#include <stdexcept>
#define ACTIV_TEST_EXCEPTIONS 1
#else
#define ACTIV_TEST_EXCEPTIONS 0
#endif

namespace {

// volatile: the compiler must not see the invalid values coming.
volatile float float_nan = std::numeric_limits<float>::quiet_NaN();
volatile double double_zero = 0.0;

bool invalid_call(int which) {
  Eigen::ArrayXXf x = Eigen::ArrayXXf::Constant(3, 4, 0.5f), y(4, 3), right(3, 4);
  Eigen::ArrayXXd xd = Eigen::ArrayXXd::Constant(3, 4, 0.5), yd(2, 4);
  switch (which) {
    case 0:
      (void)activ::ELU<float>{float_nan};
      break;
    case 1:
      (void)activ::Softplus<double>{double_zero};
      break;
    case 2:
      (void)activ::RReLU<float>(0.5f, 0.25f);
      break;
    case 3:
      (void)activ::PReLU<float>{Eigen::ArrayXf::Constant(3, float(float_nan))};
      break;
    case 4:
      activ::Sigmoid<double>{}.forward(xd, yd);
      break;
    case 5:
      activ::LeakyReLU<float>{-0.5f}.backward_from_output(x, x, right);
      break;
    case 6:
      activ::PReLU<float>{Eigen::ArrayXf::Constant(3, 0.25f)}.forward(x, right);
      break;
    case 7:
      activ::Softmax<float, activ::fast>{}.backward(x, y, right);
      break;
    case 8:
      activ::RReLU<double>{}.forward_train(xd, yd, yd, 7);
      break;
    case 9:
      activ::LogSoftmax<double>{}.jacobian(xd);
      break;
    default:
      return false;
  }
  return true;
}

#ifdef ACTIV_USE_EVERYTHING
template <class F>
void use(const F& f) {
  using T = typename F::Scalar;
  using A = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const A x = A::Constant(5, 3, T(0.5));
  A y(5, 3), d(5, 3), dx(5, 3);
  f.forward(x, y);
  f.derivative(x, d);
  f.backward(x, y, dx);
  const A z = f.forward(x) + f.derivative(x);
  if constexpr (activ::detail::has_from_output<F>::value) {
    f.derivative_from_output(y, d);
    f.backward_from_output(y, d, dx);
  }
  std::printf("%g %g\n", static_cast<double>(f(T(0.25)) + f.derivative(T(0.25))), static_cast<double>(z.sum()));
}

template <class T, class Policy>
void use_all() {
  use(activ::ReLU<T, Policy>{});
  use(activ::LeakyReLU<T, Policy>{});
  use(activ::PReLU<T, Policy>{});
  use(activ::RReLU<T, Policy>{});
  use(activ::ELU<T, Policy>{});
  use(activ::SELU<T, Policy>{});
  use(activ::Sigmoid<T, Policy>{});
  use(activ::Tanh<T, Policy>{});
  use(activ::Softsign<T, Policy>{});
  use(activ::Softplus<T, Policy>{});
  use(activ::Swish<T, Policy>{});
  use(activ::HardSwish<T, Policy>{});
  using A = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const A x = A::Constant(5, 3, T(0.5));
  A y(5, 3), dx(5, 3), noise(5, 3), dalpha(3, 1);
  activ::Softmax<T, Policy>{}.forward(x, y);
  activ::Softmax<T, Policy>{}.backward(y, x, dx);
  activ::LogSoftmax<T, Policy>{activ::colwise}.forward(x, y);
  activ::LogSoftmax<T, Policy>{}.backward(y, x, dx);
  const auto jacobian = activ::Softmax<T, Policy>{}.jacobian(y.row(0));
  activ::RReLU<T, Policy>{}.forward_train(x, y, noise, 1);
  activ::RReLU<T, Policy>{}.backward_train(noise, x, dx);
  const activ::PReLU<T, Policy> channels{Eigen::Array<T, Eigen::Dynamic, 1>::Constant(3, T(0.25))};
  channels.forward(x, y);
  channels.derivative_from_output(y, dx);
  channels.backward(x, y, dx, dalpha);
  std::printf("%g %g\n", static_cast<double>(dx.sum() + dalpha.sum()), static_cast<double>(jacobian.sum()));
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
#ifdef ACTIV_USE_EVERYTHING
    use_all<float, activ::accurate>();
    use_all<double, activ::accurate>();
    use_all<float, activ::fast>();
#endif
    return 0;
  }
  const int which = std::atoi(argv[1]);
#if ACTIV_TEST_EXCEPTIONS
  try {
    if (!invalid_call(which)) return 3;
  } catch (const std::invalid_argument& e) {
    std::printf("activ: %s\n", e.what());
    return 0;
  }
  std::printf("no exception\n");
  return 1;
#else
  if (!invalid_call(which)) return 3;
  return 0;  // not reached: the library aborts
#endif
}
