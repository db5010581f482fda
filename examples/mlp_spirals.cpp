// examples/mlp_spirals.cpp — a multilayer perceptron in plain Eigen + activ, trained with
// mini-batch SGD on three interleaved spirals that the program generates.
//
//   mlp_spirals [ACTIVATION] [--epochs N] [--min-accuracy A]
//
// ACTIVATION is any of activ's twelve elementwise functions (relu, leaky_relu, prelu, rrelu, elu,
// selu, sigmoid, tanh, softsign, softplus, swish, hard_swish; default relu). The network is
// 2 → 64 → 64 → 3 with the chosen activation after each hidden layer and a log-softmax +
// cross-entropy output; backpropagation goes through activ's backward. It prints the loss every
// few epochs and the final training accuracy, and exits with 1 if that is below --min-accuracy.
#include <activ/activ.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;  // samples × features
using Vector = Eigen::RowVectorXf;

struct Data {
  Matrix x;                // n × 2
  std::vector<int> label;  // n, in {0, 1, 2}
};

// Three spirals of `per_class` points each, radius 0 → 1 over 1.5 turns, with a little noise.
Data spirals(int per_class, std::mt19937& rng) {
  std::normal_distribution<float> noise(0.f, 0.15f);
  Data d{Matrix(3 * per_class, 2), std::vector<int>(static_cast<std::size_t>(3 * per_class))};
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < per_class; ++i) {
      const float t = static_cast<float>(i) / static_cast<float>(per_class - 1);
      const float angle = 4.f * static_cast<float>(k) + 4.f * t + noise(rng);
      const int row = k * per_class + i;
      d.x(row, 0) = t * std::sin(angle);
      d.x(row, 1) = t * std::cos(angle);
      d.label[static_cast<std::size_t>(row)] = k;
    }
  }
  return d;
}

struct Layer {
  Matrix w;
  Vector b;
  Layer(int in, int out, std::mt19937& rng) : w(in, out), b(Vector::Zero(out)) {
    std::normal_distribution<float> init(0.f, std::sqrt(2.f / static_cast<float>(in)));  // He et al. 2015
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = init(rng);
  }
  Matrix forward(const Matrix& x) const { return (x * w).rowwise() + b; }
  void step(const Matrix& x, const Matrix& dz, float rate) {  // SGD on dL/dz, given the input x
    w -= rate * (x.transpose() * dz);
    b -= rate * dz.colwise().sum();
  }
};

// Trains and returns the final training accuracy.
template <class F>
float train(const F& activation, const Data& data, int epochs, std::mt19937& rng) {
  Layer l1(2, 64, rng), l2(64, 64, rng), l3(64, 3, rng);
  const activ::LogSoftmax<float> log_softmax;
  const int n = static_cast<int>(data.x.rows()), batch = 32;
  const float rate = 0.05f;
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double loss = 0;
    for (int start = 0; start < n; start += batch) {
      const int m = std::min(batch, n - start);
      Matrix x(m, 2), target = Matrix::Zero(m, 3);
      for (int i = 0; i < m; ++i) {
        const int row = order[static_cast<std::size_t>(start + i)];
        x.row(i) = data.x.row(row);
        target(i, data.label[static_cast<std::size_t>(row)]) = 1.f;
      }
      // forward (x·W + b by Eigen, the rest by activ)
      const Matrix z1 = l1.forward(x);
      const Matrix h1 = activation.forward(z1);
      const Matrix z2 = l2.forward(h1);
      const Matrix h2 = activation.forward(z2);
      const Matrix log_p = log_softmax.forward(l3.forward(h2));
      loss -= (log_p.array() * target.array()).sum();
      // backward: L = −Σ target·log p / m
      const Matrix d_log_p = -target / static_cast<float>(m);
      Matrix d_logits(m, 3), d_z2(m, 64), d_z1(m, 64);
      log_softmax.backward(log_p, d_log_p, d_logits);
      activation.backward(z2, d_logits * l3.w.transpose(), d_z2);
      activation.backward(z1, d_z2 * l2.w.transpose(), d_z1);
      l3.step(h2, d_logits, rate);
      l2.step(h1, d_z2, rate);
      l1.step(x, d_z1, rate);
    }
    if (epoch % (epochs / 10) == 0 || epoch == 1) std::printf("epoch %4d  loss %.4f\n", epoch, loss / n);
  }
  const Matrix scores = l3.forward(activation.forward(l2.forward(activation.forward(l1.forward(data.x)))));
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    Eigen::Index best;
    scores.row(i).maxCoeff(&best);
    correct += best == data.label[static_cast<std::size_t>(i)];
  }
  return static_cast<float>(correct) / static_cast<float>(n);
}

template <class Body>
bool with_activation(const std::string& name, const Body& body) {
  if (name == "relu") return body(activ::ReLU<float>{}), true;
  if (name == "leaky_relu") return body(activ::LeakyReLU<float>{}), true;
  if (name == "prelu") return body(activ::PReLU<float>{}), true;
  if (name == "rrelu") return body(activ::RReLU<float>{}), true;
  if (name == "elu") return body(activ::ELU<float>{}), true;
  if (name == "selu") return body(activ::SELU<float>{}), true;
  if (name == "sigmoid") return body(activ::Sigmoid<float>{}), true;
  if (name == "tanh") return body(activ::Tanh<float>{}), true;
  if (name == "softsign") return body(activ::Softsign<float>{}), true;
  if (name == "softplus") return body(activ::Softplus<float>{}), true;
  if (name == "swish") return body(activ::Swish<float>{}), true;
  if (name == "hard_swish") return body(activ::HardSwish<float>{}), true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name = "relu";
  int epochs = 200;
  float min_accuracy = 0.f;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--epochs" && i + 1 < argc) {
      epochs = std::max(10, std::atoi(argv[++i]));
    } else if (arg == "--min-accuracy" && i + 1 < argc) {
      min_accuracy = static_cast<float>(std::atof(argv[++i]));
    } else {
      name = arg;
    }
  }
  std::mt19937 rng(2026);
  const Data data = spirals(300, rng);
  float accuracy = 0;
  if (!with_activation(name, [&](const auto& f) { accuracy = train(f, data, epochs, rng); })) {
    std::fprintf(stderr, "unknown activation '%s'\n", name.c_str());
    return 2;
  }
  std::printf("%s: training accuracy %.1f%%\n", name.c_str(), 100.f * accuracy);
  return accuracy >= min_accuracy ? 0 : 1;
}
