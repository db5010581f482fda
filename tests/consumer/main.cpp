// The consumer's program: a few activ calls whose values it checks itself.
#include <activ/activ.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstdio>

int main() {
  const Eigen::ArrayXXf x = Eigen::ArrayXf::LinSpaced(12, -3.f, 3.f).replicate(1, 3);
  Eigen::ArrayXXf y(12, 3);
  activ::Sigmoid<float>{}.forward(x, y);
  activ::Softmax<float> softmax;
  Eigen::ArrayXXf p(12, 3);
  softmax.forward(x, p);
  const bool sigmoid_ok = std::fabs(y(0, 0) - 1.f / (1.f + std::exp(3.f))) < 1e-6f;
  const bool softmax_ok = std::fabs(p.row(5).sum() - 1.f) < 1e-6f;
  const bool tanh_ok = std::fabs(activ::Tanh<double>{}(0.5) - std::tanh(0.5)) < 1e-15;
  const bool ok = sigmoid_ok && softmax_ok && tanh_ok;
  std::printf("activ %s consumer (C++ %ld): %s\n", ACTIV_VERSION_STRING, static_cast<long>(__cplusplus),
              ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
