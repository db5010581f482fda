// tests/test_errors.cpp — shape validation before anything is written, the messages, aliasing and
// the kinds of Eigen operands the entry points accept, for every elementwise functor.
#include "harness.hpp"

namespace {

template <class T>
using Dyn = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;

// Runs `body` on every functor with float and double.
template <class Body>
void for_every_functor(const Body& body) {
  auto both = [&](auto tag) {
    using T = decltype(tag);
    body(activ::ReLU<T>{});
    body(activ::LeakyReLU<T>{});
    body(activ::PReLU<T>{});
    body(activ::RReLU<T>{});
    body(activ::ELU<T>{});
    body(activ::SELU<T>{});
    body(activ::Sigmoid<T>{});
    body(activ::Tanh<T>{});
    body(activ::Softsign<T>{});
    body(activ::Softplus<T>{});
    body(activ::Swish<T>{});
    body(activ::HardSwish<T>{});
  };
  both(float{});
  both(double{});
}

template <class F>
std::string functor_name() {
  return activ::detail::qualified_name<typename F::Scalar>(F::name);
}

}  // namespace

TEST_CASE("shape mismatches throw before anything is written", "[errors]") {
  for_every_functor([](const auto& f) {
    using F = std::decay_t<decltype(f)>;
    using T = typename F::Scalar;
    const std::string name = functor_name<F>();
    const Dyn<T> x = Dyn<T>::Constant(3, 4, T(0.5));
    const Dyn<T> dy = Dyn<T>::Constant(3, 4, T(1));
    const T sentinel = T(-7.25);
    auto untouched = [&](const Dyn<T>& y) { return (y == sentinel).all(); };
    using Catch::Matchers::Contains;

    Dyn<T> y = Dyn<T>::Constant(4, 3, sentinel);  // same size, transposed shape
    CHECK_INVALID(f.forward(x, y), Contains(name + "::forward") && Contains("3x4") && Contains("4x3"));
    CHECK(untouched(y));
    CHECK_INVALID(f.derivative(x, y), Contains(name + "::derivative") && Contains("3x4") && Contains("4x3"));
    CHECK(untouched(y));
    CHECK_INVALID(f.backward(x, dy, y), Contains(name + "::backward") && Contains("3x4") && Contains("4x3"));
    CHECK(untouched(y));

    Dyn<T> dx = Dyn<T>::Constant(3, 4, sentinel);  // right output, wrong dy
    const Dyn<T> dy_bad = Dyn<T>::Constant(3, 5, T(1));
    CHECK_INVALID(f.backward(x, dy_bad, dx),
                  Contains(name + "::backward") && Contains("dy is 3x5") && Contains("dx is 3x4"));
    CHECK(untouched(dx));

    Eigen::Array<T, Eigen::Dynamic, 1> v = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(6, sentinel);
    const Eigen::Array<T, Eigen::Dynamic, 1> u = Eigen::Array<T, Eigen::Dynamic, 1>::Constant(5, T(1));
    CHECK_INVALID(f.forward(u, v), Contains("x is 5x1 but y is 6x1"));
    CHECK((v == sentinel).all());
    // A row is not a column, as in Eigen's own assignments.
    Eigen::Array<T, 1, Eigen::Dynamic> row = Eigen::Array<T, 1, Eigen::Dynamic>::Constant(5, sentinel);
    CHECK_THROWS_AS(f.forward(u, row), std::invalid_argument);
    CHECK((row == sentinel).all());
  });
}

TEST_CASE("operands of every kind give the values of a plain array", "[eigen]") {
  for_every_functor([](const auto& f) {
    using F = std::decay_t<decltype(f)>;
    using T = typename F::Scalar;
    INFO(functor_name<F>());
    Dyn<T> x(9, 13);
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = static_cast<T>(i % 29) / T(3) - T(4.5);
    const Dyn<T> expected = f.forward(x);
    const Dyn<T> expected_derivative = f.derivative(x);
    for (Eigen::Index i = 0; i < x.size(); ++i) {  // same math, same bits as the scalar call
      CHECK(expected(i) == f(x(i)));
      CHECK(expected_derivative(i) == f.derivative(x(i)));
    }

    // A Matrix, a Ref, a row-major copy, a Map and an expression as input.
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> m = x.matrix();
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> my(9, 13);
    f.forward(m, my);
    CHECK((my.array() == expected).all());
    Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rowmajor = x, ry(9, 13);
    f.forward(rowmajor, ry);
    CHECK((ry == expected).all());
    Eigen::Ref<const Dyn<T>> ref(x);
    Dyn<T> y(9, 13);
    f.forward(ref, y);
    CHECK((y == expected).all());
    f.forward(x * T(1), y);  // no direct access: evaluated first
    CHECK((y == expected).all());

    // Writable temporaries as outputs: a row of a column-major array, a block, a reversed view.
    Dyn<T> z = Dyn<T>::Zero(9, 13);
    f.forward(x.row(3), z.row(3));
    CHECK((z.row(3) == expected.row(3)).all());
    f.forward(x.block(2, 3, 4, 5), z.block(2, 3, 4, 5));
    CHECK((z.block(2, 3, 4, 5) == expected.block(2, 3, 4, 5)).all());
    Eigen::Array<T, Eigen::Dynamic, 1> column = x.col(4), reversed(9);
    f.forward(column, reversed.reverse());
    CHECK((reversed.reverse() == expected.col(4)).all());

    // Exact aliasing (in place) on a strided block, and a partial overlap, which reads a copy.
    Dyn<T> w = x;
    f.forward(w.block(1, 1, 5, 7), w.block(1, 1, 5, 7));
    CHECK((w.block(1, 1, 5, 7) == expected.block(1, 1, 5, 7)).all());
    Eigen::Array<T, Eigen::Dynamic, 1> line = x.col(0), shifted = x.col(0);
    f.forward(shifted.head(8), shifted.tail(8));  // y[i + 1] = f(x[i]), x overwritten as it goes
    for (Eigen::Index i = 0; i < 8; ++i) CHECK(shifted(i + 1) == f(line(i)));

    // Zero-sized operands are a no-op.
    Dyn<T> empty_x(0, 3), empty_y(0, 3);
    f.forward(empty_x, empty_y);
    f.backward(empty_x, empty_x, empty_y);
  });
}
