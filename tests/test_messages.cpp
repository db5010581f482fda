// tests/test_messages.cpp — every throw site of the library, with the exact message it gives: the
// functor with its type, the entry point (a constructor as activ::F<T>::F), and the offending
// values (a parameter's value, both shapes). Outputs are untouched by a call that throws.
#include <activ/activ.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <limits>
#include <stdexcept>
#include <string>

namespace {

template <class T>
using Dyn = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Col = Eigen::Array<T, Eigen::Dynamic, 1>;

// The message of the std::invalid_argument that fn throws (anything else fails the test).
template <class Fn>
std::string message_of(const Fn& fn) {
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

template <class T>
const char* type() {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

template <class T>
std::string prefix(const std::string& functor, const std::string& entry) {
  return "activ::" + functor + "<" + type<T>() + ">::" + entry + ": ";
}

constexpr double sentinel = -7.25;

template <class E>
bool untouched(const E& e) {
  return (e == typename E::Scalar(sentinel)).all();
}

template <class T>
void constructors() {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
  auto ctor = [](const char* f) { return prefix<T>(f, f); };
  CHECK(message_of([&] { activ::LeakyReLU<T>{nan}; }) ==
        ctor("LeakyReLU") + "parameter negative_slope must be finite, got nan");
  CHECK(message_of([&] { activ::PReLU<T>{-inf}; }) == ctor("PReLU") + "parameter alpha must be finite, got -inf");
  CHECK(message_of([&] { activ::ELU<T>{inf}; }) == ctor("ELU") + "parameter alpha must be finite, got inf");
  CHECK(message_of([&] { activ::Swish<T>{nan}; }) == ctor("Swish") + "parameter beta must be finite, got nan");
  CHECK(message_of([&] { activ::Softplus<T>{inf}; }) == ctor("Softplus") + "parameter beta must be finite, got inf");
  CHECK(message_of([&] { activ::Softplus<T>{T(0)}; }) ==
        ctor("Softplus") + "parameter beta must be nonzero (it divides), got 0");
  CHECK(message_of([&] { activ::Softplus<T>(T(1), nan); }) ==
        ctor("Softplus") + "parameter threshold must not be NaN, got nan");
  CHECK(message_of([&] { activ::RReLU<T>(nan, T(0.5)); }) == ctor("RReLU") + "parameter lower must be finite, got nan");
  CHECK(message_of([&] { activ::RReLU<T>(T(0.5), inf); }) == ctor("RReLU") + "parameter upper must be finite, got inf");
  CHECK(message_of([&] { activ::RReLU<T>(T(0.5), T(0.25)); }) ==
        ctor("RReLU") + "parameter lower must not exceed upper, got lower = 0.5, upper = 0.25");

  // PReLU with one slope per channel.
  Col<T> alphas(4);
  alphas << T(0.1), T(0.2), nan, T(0.3);
  CHECK(message_of([&] { activ::PReLU<T>{alphas}; }) == ctor("PReLU") + "parameter alpha[2] must be finite, got nan");
  CHECK(message_of([&] { activ::PReLU<T>{Dyn<T>::Constant(2, 3, T(0.25))}; }) ==
        ctor("PReLU") + "parameter alpha must be a vector (one slope per channel), got 2x3");
  CHECK(message_of([&] { activ::PReLU<T>{Col<T>()}; }) == ctor("PReLU") + "parameter alpha must not be empty, got 0x1");
}

// Shape checks of every Eigen entry point of an elementwise functor.
template <class F>
void elementwise_shapes(const F& f, const std::string& functor) {
  using T = typename F::Scalar;
  const Dyn<T> x = Dyn<T>::Constant(3, 4, T(0.5)), dy = Dyn<T>::Constant(3, 4, T(1));
  const Dyn<T> wrong = Dyn<T>::Constant(2, 5, T(0.5));
  Dyn<T> out = Dyn<T>::Constant(2, 5, T(sentinel));
  Dyn<T> right = Dyn<T>::Constant(3, 4, T(sentinel));
  auto p = [&](const char* entry) { return prefix<T>(functor, entry) + "shape mismatch: "; };
  CHECK(message_of([&] { f.forward(x, out); }) == p("forward") + "x is 3x4 but y is 2x5");
  CHECK(message_of([&] { f.derivative(x, out); }) == p("derivative") + "x is 3x4 but d is 2x5");
  CHECK(message_of([&] { f.backward(x, dy, out); }) == p("backward") + "x is 3x4 but dx is 2x5");
  CHECK(message_of([&] { f.backward(x, wrong, right); }) == p("backward") + "dy is 2x5 but dx is 3x4");
  CHECK(untouched(out));
  CHECK(untouched(right));
}

template <class F>
void from_output_shapes(const F& f, const std::string& functor) {
  using T = typename F::Scalar;
  const Dyn<T> y = Dyn<T>::Constant(3, 4, T(0.5)), wrong = Dyn<T>::Constant(4, 3, T(1));
  Dyn<T> out = Dyn<T>::Constant(4, 3, T(sentinel)), right = Dyn<T>::Constant(3, 4, T(sentinel));
  auto p = [&](const char* entry) { return prefix<T>(functor, entry) + "shape mismatch: "; };
  CHECK(message_of([&] { f.derivative_from_output(y, out); }) == p("derivative_from_output") + "y is 3x4 but d is 4x3");
  CHECK(message_of([&] { f.backward_from_output(y, y, out); }) == p("backward_from_output") + "y is 3x4 but dx is 4x3");
  CHECK(message_of([&] { f.backward_from_output(y, wrong, right); }) ==
        p("backward_from_output") + "dy is 4x3 but dx is 3x4");
  CHECK(untouched(out));
  CHECK(untouched(right));
}

// derivative_from_output where f′ is not a function of y.
template <class F>
void from_output_refused(const F& f, const std::string& functor, const std::string& parameter) {
  using T = typename F::Scalar;
  const Dyn<T> y = Dyn<T>::Constant(3, 4, T(-0.5));
  Dyn<T> out = Dyn<T>::Constant(3, 4, T(sentinel));
  auto text = [&](const char* entry) {
    return prefix<T>(functor, entry) + "f' is not a function of the output when " + parameter +
           "; use the form that takes x";
  };
  CHECK(message_of([&] { f.derivative_from_output(T(-0.5)); }) == text("derivative_from_output"));
  CHECK(message_of([&] { f.derivative_from_output(y, out); }) == text("derivative_from_output"));
  CHECK(message_of([&] { f.backward_from_output(y, y, out); }) == text("backward_from_output"));
  CHECK(untouched(out));
}

template <class T>
void every_site() {
  constructors<T>();

  elementwise_shapes(activ::ReLU<T>{}, "ReLU");
  elementwise_shapes(activ::LeakyReLU<T>{}, "LeakyReLU");
  elementwise_shapes(activ::PReLU<T>{}, "PReLU");
  elementwise_shapes(activ::RReLU<T>{}, "RReLU");
  elementwise_shapes(activ::ELU<T>{}, "ELU");
  elementwise_shapes(activ::SELU<T>{}, "SELU");
  elementwise_shapes(activ::Sigmoid<T>{}, "Sigmoid");
  elementwise_shapes(activ::Tanh<T>{}, "Tanh");
  elementwise_shapes(activ::Softsign<T>{}, "Softsign");
  elementwise_shapes(activ::Softplus<T>{}, "Softplus");
  elementwise_shapes(activ::Swish<T>{}, "Swish");
  elementwise_shapes(activ::HardSwish<T>{}, "HardSwish");
  elementwise_shapes(activ::Sigmoid<T, activ::fast>{}, "Sigmoid");

  from_output_shapes(activ::Sigmoid<T>{}, "Sigmoid");
  from_output_shapes(activ::ELU<T>{}, "ELU");

  from_output_refused(activ::LeakyReLU<T>{T(-0.5)}, "LeakyReLU", "negative_slope < 0 (got -0.5)");
  from_output_refused(activ::PReLU<T>{T(-0.25)}, "PReLU", "alpha < 0 (got -0.25)");
  from_output_refused(activ::ELU<T>{T(-2)}, "ELU", "alpha < 0 (got -2)");
  from_output_refused(activ::RReLU<T>{T(-0.75), T(0.25)}, "RReLU",
                      "(lower + upper)/2 (lower = -0.75, upper = 0.25) < 0 (got -0.25)");

  // PReLU with one slope per channel.
  Col<T> alphas(3);
  alphas << T(0.25), T(-0.5), T(0.125);
  const activ::PReLU<T> channels{alphas};
  {
    const Dyn<T> x = Dyn<T>::Constant(2, 4, T(0.5)), x3 = Dyn<T>::Constant(2, 3, T(0.5));
    const Col<T> v = Col<T>::Constant(3, T(0.5));
    Dyn<T> out = Dyn<T>::Constant(2, 4, T(sentinel));
    Col<T> vout = Col<T>::Constant(3, T(sentinel));
    Dyn<T> out3 = Dyn<T>::Constant(2, 3, T(sentinel));
    Col<T> dalpha = Col<T>::Constant(2, T(sentinel));
    const std::string count = "x (2x4) has 4 channels (columns) but alpha has 3";
    for (const char* entry : {"forward", "derivative", "backward", "derivative_from_output", "backward_from_output"}) {
      const std::string e = entry;
      const std::string got = message_of([&] {
        if (e == "forward") channels.forward(x, out);
        if (e == "derivative") channels.derivative(x, out);
        if (e == "backward") channels.backward(x, x, out);
        if (e == "derivative_from_output") channels.derivative_from_output(x, out);
        if (e == "backward_from_output") channels.backward_from_output(x, x, out);
      });
      CHECK(got == prefix<T>("PReLU", entry) + count);
      CHECK(message_of([&] {
              if (e == "forward") channels.forward(v, vout);
              if (e == "derivative") channels.derivative(v, vout);
              if (e == "backward") channels.backward(v, v, vout);
              if (e == "derivative_from_output") channels.derivative_from_output(v, vout);
              if (e == "backward_from_output") channels.backward_from_output(v, v, vout);
            }) == prefix<T>("PReLU", entry) + "a vector input x (3x1) takes a single alpha, but this PReLU has 3");
    }
    CHECK(message_of([&] { channels.backward(x3, x3, out3, dalpha); }) ==
          prefix<T>("PReLU", "backward") + "dalpha must be a vector of 3 (one per alpha), got 2x1");
    CHECK(message_of([&] { channels.derivative_from_output(x3, out3); }) ==
          prefix<T>("PReLU", "derivative_from_output") +
              "f' is not a function of the output when alpha[1] < 0 (got -0.5); use the form that takes x");
    CHECK(untouched(out));
    CHECK(untouched(vout));
    CHECK(untouched(out3));
    CHECK(untouched(dalpha));
  }

  // RReLU training.
  {
    const activ::RReLU<T> r;
    const Dyn<T> x = Dyn<T>::Constant(3, 4, T(-0.5));
    Dyn<T> y = Dyn<T>::Constant(3, 4, T(sentinel)), noise = Dyn<T>::Constant(3, 4, T(sentinel));
    Dyn<T> wrong = Dyn<T>::Constant(4, 3, T(sentinel));
    auto p = [&](const char* entry) { return prefix<T>("RReLU", entry) + "shape mismatch: "; };
    CHECK(message_of([&] { r.forward_train(x, wrong, noise, 1); }) == p("forward_train") + "x is 3x4 but y is 4x3");
    CHECK(message_of([&] { r.forward_train(x, y, wrong, 1); }) == p("forward_train") + "x is 3x4 but noise is 4x3");
    CHECK(message_of([&] { r.backward_train(x, x, wrong); }) == p("backward_train") + "noise is 3x4 but dx is 4x3");
    CHECK(message_of([&] { r.backward_train(x, wrong, y); }) == p("backward_train") + "dy is 4x3 but dx is 3x4");
    CHECK(untouched(y));
    CHECK(untouched(noise));
    CHECK(untouched(wrong));
  }

  // Softmax and LogSoftmax.
  {
    const Dyn<T> x = Dyn<T>::Constant(3, 4, T(0.5)), wrong = Dyn<T>::Constant(3, 5, T(0.5));
    Dyn<T> out = Dyn<T>::Constant(3, 5, T(sentinel)), right = Dyn<T>::Constant(3, 4, T(sentinel));
    for (const char* functor : {"Softmax", "LogSoftmax"}) {
      const bool log = std::string(functor) == "LogSoftmax";
      auto call = [&](auto&& body) {
        return message_of([&] {
          if (log) {
            body(activ::LogSoftmax<T>{});
          } else {
            body(activ::Softmax<T, activ::fast>{activ::colwise});
          }
        });
      };
      auto p = [&](const char* entry) { return prefix<T>(functor, entry); };
      CHECK(call([&](const auto& s) { s.forward(x, out); }) == p("forward") + "shape mismatch: x is 3x4 but y is 3x5");
      CHECK(call([&](const auto& s) { s.backward(x, x, out); }) ==
            p("backward") + "shape mismatch: y is 3x4 but dx is 3x5");
      CHECK(call([&](const auto& s) { s.backward(x, wrong, right); }) ==
            p("backward") + "shape mismatch: dy is 3x5 but dx is 3x4");
      CHECK(call([&](const auto& s) { s.jacobian(x); }) ==
            p("jacobian") + "y must be one distribution (a vector), got 3x4");
    }
    CHECK(untouched(out));
    CHECK(untouched(right));
  }
}

}  // namespace

TEST_CASE("every throw site names the functor, the entry point and the offending values", "[errors]") {
  every_site<float>();
  every_site<double>();
}
