// tests/test_expressions.cpp — activ functors inside Eigen expressions (x.unaryExpr(f) and the
// shorthands activ::sigmoid(expr), …): the same values as forward(), through Eigen's packet path.
#include "harness.hpp"

namespace {

template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

template <class T>
Column<T> expression_inputs() {
  Column<T> x = harness::Column<T>::Zero(1007);
  const std::vector<T> values = harness::test_inputs<T>();
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = values[static_cast<std::size_t>(i) * 7 % values.size()];
  return x;
}

template <class T>
bool same(const Column<T>& a, const Column<T>& b) {
  return ((a == b) || (a.isNaN() && b.isNaN())).all();
}

}  // namespace

TEST_CASE("x.unaryExpr(f) equals f.forward(x) for every functor", "[expressions]") {
  auto check = [](const auto& f) {
    using F = std::decay_t<decltype(f)>;
    using T = typename F::Scalar;
#if ACTIV_HAS_SIMD
    static_assert(Eigen::internal::functor_traits<F>::PacketAccess, "the expression path must vectorize");
#endif
    const Column<T> x = expression_inputs<T>();
    const Column<T> expected = f.forward(x);
    const Column<T> through_eigen = x.unaryExpr(f);
    INFO(activ::detail::qualified_name<T>(F::name));
    CHECK(same(through_eigen, expected));
    // A fused expression: no temporary for 2·x, and a block of it.
    const Column<T> fused = (x * T(2)).unaryExpr(f);
    CHECK(same(fused, f.forward(Column<T>(x * T(2)))));
    const Column<T> head = (x * T(2)).head(13).unaryExpr(f);
    CHECK(same(head, Column<T>(fused.head(13))));
  };
  auto both = [&](auto tag) {
    using T = decltype(tag);
    check(activ::ReLU<T>{});
    check(activ::LeakyReLU<T>{T(0.2)});
    check(activ::PReLU<T>{T(0.3)});
    check(activ::RReLU<T>{});
    check(activ::ELU<T>{T(0.7)});
    check(activ::SELU<T>{});
    check(activ::Sigmoid<T>{});
    check(activ::Tanh<T>{});
    check(activ::Softsign<T>{});
    check(activ::Softplus<T>{T(1.5), T(20)});
    check(activ::Swish<T>{T(1.2)});
    check(activ::HardSwish<T>{});
  };
  both(float{});
  both(double{});
}

TEST_CASE("the shorthands build lazy expressions", "[expressions]") {
  Eigen::MatrixXf W = Eigen::MatrixXf::Random(17, 9);
  Eigen::VectorXf v = Eigen::VectorXf::Random(9), b = Eigen::VectorXf::Random(17);
  const Eigen::VectorXf pre = W * v + b;
  const Eigen::VectorXf h = activ::tanh(W * v + b);
  CHECK(h == activ::Tanh<float>{}.forward(pre));
  const Eigen::ArrayXXf a = Eigen::ArrayXXf::Random(5, 33) * 6.f;
  CHECK((activ::sigmoid(a) == activ::Sigmoid<float>{}.forward(a)).all());
  CHECK((activ::swish(a, 1.5f) == activ::Swish<float>{1.5f}.forward(a)).all());
  CHECK((activ::softplus(a, 2.f, 15.f) == activ::Softplus<float>{2.f, 15.f}.forward(a)).all());
  CHECK((activ::leaky_relu(a.block(1, 2, 3, 20), 0.1f) == activ::LeakyReLU<float>{0.1f}.forward(a.block(1, 2, 3, 20)))
            .all());
  CHECK((activ::hard_swish(a * 0.5f) == activ::HardSwish<float>{}.forward(Eigen::ArrayXXf(a * 0.5f))).all());
}
