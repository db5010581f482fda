// tools/plot/plot_data.cpp — evaluates activ itself over [−6, 6] for the plots in docs/img/:
// writes DIR/NAME.dat with columns x, f(x), f′(x) for every elementwise functor (default
// parameters). Used by tools/plots.sh.
#include <activ/activ.hpp>

#include <cstdio>
#include <string>

namespace {

template <class F>
void write(const std::string& dir, const char* name, const F& f) {
  const std::string path = dir + "/" + name + ".dat";
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) {
    std::perror(path.c_str());
    std::exit(1);
  }
  for (int i = 0; i <= 1200; ++i) {
    const double x = -6.0 + i / 100.0;
    std::fprintf(out, "%.4f %.9g %.9g\n", x, f(x), f.derivative(x));
  }
  std::fclose(out);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  write(dir, "relu", activ::ReLU<double>{});
  write(dir, "leaky_relu", activ::LeakyReLU<double>{0.1});  // 0.1 instead of 0.01: visible in a plot
  write(dir, "prelu", activ::PReLU<double>{});
  write(dir, "rrelu", activ::RReLU<double>{});
  write(dir, "elu", activ::ELU<double>{});
  write(dir, "selu", activ::SELU<double>{});
  write(dir, "sigmoid", activ::Sigmoid<double>{});
  write(dir, "tanh", activ::Tanh<double>{});
  write(dir, "softsign", activ::Softsign<double>{});
  write(dir, "softplus", activ::Softplus<double>{});
  write(dir, "swish", activ::Swish<double>{});
  write(dir, "hard_swish", activ::HardSwish<double>{});
  return 0;
}
