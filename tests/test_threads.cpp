// tests/test_threads.cpp — concurrent use: 8 threads call the same const functor on different
// arrays, over and over, and every result equals, bit for bit, what one thread computed for the
// same array before. Every functor (both policies, float and double; forward, derivative,
// backward), Softmax and LogSoftmax (rowwise and colwise; forward and backward), RReLU training with
// a fixed seed and PReLU with one slope per channel (with its slope gradients). Under
// ThreadSanitizer (docs/testing.md) the same test finds data races.
#include <activ/activ.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

namespace {

constexpr int thread_count = 8;
constexpr int repeats = 12;

template <class T>
using Dyn = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;

// Thread t's input: a pattern over [−40, 40] shifted by t, with special values in it.
template <class T>
Dyn<T> input(int t, Eigen::Index rows = 37, Eigen::Index cols = 29) {
  Dyn<T> x(rows, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x(i) = static_cast<T>(((i * 7919 + t * 104729) % 16001) - 8000) / T(200);
  }
  x(t % x.size()) = std::numeric_limits<T>::quiet_NaN();
  x((t + 5) % x.size()) = std::numeric_limits<T>::infinity();
  x((t + 9) % x.size()) = -std::numeric_limits<T>::infinity();
  x((t + 13) % x.size()) = std::numeric_limits<T>::denorm_min();
  x((t + 17) % x.size()) = T(-0.0);
  return x;
}

template <class T>
Dyn<T> gradient(int t, Eigen::Index rows = 37, Eigen::Index cols = 29) {
  Dyn<T> g(rows, cols);
  for (Eigen::Index i = 0; i < g.size(); ++i) g(i) = static_cast<T>(((i * 31 + t * 17) % 97) - 48) / T(16);
  return g;
}

template <class T>
bool same_bits(const std::vector<Dyn<T>>& a, const std::vector<Dyn<T>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k].rows() != b[k].rows() || a[k].cols() != b[k].cols()) return false;
    if (std::memcmp(a[k].data(), b[k].data(), sizeof(T) * static_cast<std::size_t>(a[k].size())) != 0) return false;
  }
  return true;
}

// compute(t) returns thread t's results. First one thread computes every t in turn; then
// thread_count threads compute their own t `repeats` times each, all at once, and compare.
template <class T, class Compute>
void check_concurrent(const Compute& compute) {
  std::vector<std::vector<Dyn<T>>> expected;
  for (int t = 0; t < thread_count; ++t) expected.push_back(compute(t));
  std::atomic<int> ready{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < thread_count) std::this_thread::yield();  // start together
      for (int r = 0; r < repeats; ++r) {
        if (!same_bits(compute(t), expected[static_cast<std::size_t>(t)])) mismatches.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches.load() == 0);
}

template <class F>
void elementwise(const F& f) {
  using T = typename F::Scalar;
  INFO(activ::detail::qualified_name<T>(F::name));
  check_concurrent<T>([&f](int t) {
    const Dyn<T> x = input<T>(t), dy = gradient<T>(t);
    std::vector<Dyn<T>> out(4, Dyn<T>(x.rows(), x.cols()));
    f.forward(x, out[0]);
    f.derivative(x, out[1]);
    f.backward(x, dy, out[2]);
    out[3] = x;
    f.forward(out[3].block(1, 2, 30, 20), out[3].block(1, 2, 30, 20));  // strided, in place
    return out;
  });
}

template <class T, class Policy>
void every_functor() {
  elementwise(activ::ReLU<T, Policy>{});
  elementwise(activ::LeakyReLU<T, Policy>{T(0.03)});
  elementwise(activ::PReLU<T, Policy>{T(0.2)});
  elementwise(activ::RReLU<T, Policy>{T(0.1), T(0.4)});
  elementwise(activ::ELU<T, Policy>{T(0.7)});
  elementwise(activ::SELU<T, Policy>{});
  elementwise(activ::Sigmoid<T, Policy>{});
  elementwise(activ::Tanh<T, Policy>{});
  elementwise(activ::Softsign<T, Policy>{});
  elementwise(activ::Softplus<T, Policy>{T(1.5), T(15)});
  elementwise(activ::Swish<T, Policy>{T(1.25)});
  elementwise(activ::HardSwish<T, Policy>{});

  for (const activ::Axis axis : {activ::rowwise, activ::colwise}) {
    const activ::Softmax<T, Policy> softmax{axis};
    const activ::LogSoftmax<T, Policy> log_softmax{axis};
    check_concurrent<T>([&](int t) {
      const Dyn<T> x = input<T>(t).unaryExpr([](T v) { return std::isfinite(v) ? v : T(1); }), dy = gradient<T>(t);
      std::vector<Dyn<T>> out(4, Dyn<T>(x.rows(), x.cols()));
      softmax.forward(x, out[0]);
      softmax.backward(out[0], dy, out[1]);
      log_softmax.forward(x, out[2]);
      log_softmax.backward(out[2], dy, out[3]);
      return out;
    });
  }
}

template <class T>
void training_and_channels() {
  const activ::RReLU<T> rrelu{T(0.125), T(0.375)};
  check_concurrent<T>([&](int t) {
    const Dyn<T> x = input<T>(t), dy = gradient<T>(t);
    std::vector<Dyn<T>> out(3, Dyn<T>(x.rows(), x.cols()));
    rrelu.forward_train(x, out[0], out[1], 1234);
    rrelu.backward_train(out[1], dy, out[2]);
    return out;
  });

  Eigen::Array<T, Eigen::Dynamic, 1> alphas(29);
  for (Eigen::Index j = 0; j < alphas.size(); ++j) alphas(j) = static_cast<T>(j) / T(32) - T(0.25);
  const activ::PReLU<T> prelu{alphas};
  check_concurrent<T>([&](int t) {
    const Dyn<T> x = input<T>(t), dy = gradient<T>(t);
    std::vector<Dyn<T>> out(4, Dyn<T>(x.rows(), x.cols()));
    out[3] = Dyn<T>(alphas.size(), 1);
    prelu.forward(x, out[0]);
    prelu.derivative(x, out[1]);
    prelu.backward(x, dy, out[2], out[3]);
    return out;
  });
}

}  // namespace

TEST_CASE("threads sharing a const functor get one thread's results, bit for bit", "[threads]") {
  every_functor<float, activ::accurate>();
  every_functor<float, activ::fast>();
  every_functor<double, activ::accurate>();
  every_functor<double, activ::fast>();
  training_and_channels<float>();
  training_and_channels<double>();
}

TEST_CASE("threads on arrays large enough for streaming stores get one thread's results", "[threads]") {
  // 2^21 + 5 floats: above ACTIV_STREAM_BYTES (8 MiB), with a head and a tail.
  const activ::Sigmoid<float> sigmoid;
  check_concurrent<float>([&](int t) {
    const Dyn<float> x = input<float>(t, (1 << 21) + 5, 1);
    std::vector<Dyn<float>> out(1, Dyn<float>(x.rows(), 1));
    sigmoid.forward(x, out[0]);
    return out;
  });
}
