// tools/sweep/configs.hpp — what the sweep measures: every functor configuration with its
// reference, the quantities and their bounds, and the thresholds whose neighbourhoods are swept.
// Adding a functor or a parameter set is one line in for_each_config; adding a quantity (backward,
// say) is one entry in `quantities` and one case in Quantity's two switches in activ_sweep.cpp.
#pragma once

#include "reference.hpp"

#include <activ/activ.hpp>

#include <string>
#include <vector>

namespace sweep {

// The bounds of the accuracy issue, in ULP of the exact result (ulp.hpp), on every path.
struct QuantityInfo {
  const char* name;
  double bound;
};
enum Quantity { forward = 0, derivative = 1 };
constexpr QuantityInfo quantities[] = {{"forward", 1.0}, {"derivative", 2.0}};
constexpr int quantity_count = sizeof quantities / sizeof quantities[0];

// Where swish′ is zero: z = βx with 1 + z·σ(−z) = 0, i.e. z = −1.27846454276107379510935873902….
constexpr double swish_derivative_zero = -1.2784645427610737951;

// Calls add(name, functor, make_reference, crossing) for every configuration, for one T.
// make_reference(R{}) gives the reference definition (reference.hpp) in real type R; crossing(x)
// says whether x lies near a zero of f′ made by cancelling terms, where the sweep takes the
// __float128 reference from the start.
template <class T, class Add>
void for_each_config(Add&& add) {
  auto none = [](double) { return false; };
  auto swish_crossing = [](double beta) {
    return [beta](double x) { return std::fabs(beta * x - swish_derivative_zero) < 1.0 / 32; };
  };
  // The parameters as the functors store them: the reference takes the same values of T.
  const T leaky_slope = T(0.01), swish_beta = T(1.7), softplus_beta = T(1.7);
  const T lower = T(1) / T(8), upper = T(1) / T(3);  // RReLU eval: the exact mean of these

  add(
      "ReLU", activ::ReLU<T>{}, [](auto r) { return reference::Relu<decltype(r)>{}; }, none);
  add(
      "LeakyReLU(0.01)", activ::LeakyReLU<T>{leaky_slope},
      [=](auto r) { return reference::Leaky<decltype(r)>{leaky_slope}; }, none);
  add(
      "PReLU(0.25)", activ::PReLU<T>{T(0.25)}, [](auto r) { return reference::Leaky<decltype(r)>{0.25}; }, none);
  add(
      "RReLU(1/8,1/3)", activ::RReLU<T>{lower, upper},
      [=](auto r) {
        using R = decltype(r);
        return reference::Leaky<R>{(static_cast<R>(lower) + static_cast<R>(upper)) / 2};
      },
      none);
  add(
      "ELU(1)", activ::ELU<T>{T(1)},
      [](auto r) {
        return reference::Elu<decltype(r)>{1, 1};
      },
      none);
  add(
      "ELU(2.5)", activ::ELU<T>{T(2.5)},
      [](auto r) {
        return reference::Elu<decltype(r)>{2.5, 1};
      },
      none);
  add(
      "SELU", activ::SELU<T>{}, [](auto r) { return reference::selu_definition<decltype(r)>(); }, none);
  add(
      "Sigmoid", activ::Sigmoid<T>{}, [](auto r) { return reference::Sigmoid<decltype(r)>{}; }, none);
  add(
      "Tanh", activ::Tanh<T>{}, [](auto r) { return reference::Tanh<decltype(r)>{}; }, none);
  add(
      "Softsign", activ::Softsign<T>{}, [](auto r) { return reference::Softsign<decltype(r)>{}; }, none);
  add(
      "Softplus(1,20)", activ::Softplus<T>{T(1), T(20)},
      [](auto r) {
        return reference::Softplus<T, decltype(r)>{T(1), T(20)};
      },
      none);
  add(
      "Softplus(1.7,15)", activ::Softplus<T>{softplus_beta, T(15)},
      [=](auto r) {
        return reference::Softplus<T, decltype(r)>{softplus_beta, T(15)};
      },
      none);
  add(
      "Swish(1)", activ::Swish<T>{T(1)}, [](auto r) { return reference::Swish<decltype(r)>{1}; }, swish_crossing(1));
  add(
      "Swish(1.7)", activ::Swish<T>{swish_beta}, [=](auto r) { return reference::Swish<decltype(r)>{swish_beta}; },
      swish_crossing(double(swish_beta)));
  add(
      "HardSwish", activ::HardSwish<T>{}, [](auto r) { return reference::HardSwish<decltype(r)>{}; },
      [](double x) { return std::fabs(x + 1.5) < 1.0 / 32; });
}

// Thresholds (in z = βx) whose neighbourhoods the double and reduced sweeps walk nextafter step by
// step, besides each reference's own kinks (0, ±3, softplus's threshold/β): they are taken for
// z and −z, for float and double alike, divided by β = 1 and β = 1.7.
inline std::vector<long double> thresholds() {
  return {swish_derivative_zero, -1.5L,  // zeros of swish′ and hard-swish′
          // float: e^z overflows, e^−z leaves the normal range, e^−z rounds to 0, e^2z overflows,
          // σ(z) rounds to 1 (2^−25 = e^−z), tanh z rounds to 1 (atanh(1 − 2^−25))
          88.72283905206835L, 87.33654475055310L, 103.97207708399179L, 44.361419555836500L, 17.328679513998633L,
          9.0109133472947456L,
          // double: the same
          709.78271289338400L, 708.39641853226410L, 745.13321910194111L, 354.89135644669200L, 37.429947750237046L,
          19.061547465398498L};
}

}  // namespace sweep
