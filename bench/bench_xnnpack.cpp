// bench/bench_xnnpack.cpp — XNNPACK (Debian 12's libxnnpack-dev, git 2022-02-16) as a peer. Its
// operator API has f32 forward operators only (no f64, no backward); those that match an activ
// function:
//   clamp_nc_f32 [0, +∞) (relu), leaky_relu_nc_f32, prelu_nc_f32, elu_nc_f32, sigmoid_nc_f32,
//   hardswish_nc_f32, softmax_nc_f32 (rowwise on row-major data only).
// Not in that version's f32 operators: tanh (qs8/qu8 only), selu, softsign, softplus, swish, rrelu,
// log-softmax, and any colwise softmax.
//
// Operators are created and set up outside the timed loop; the loop is xnn_run_operator with no
// threadpool (nullptr), i.e. on the calling thread only. Elementwise operators are created with
// channels = stride = 1 and batch = n, which XNNPACK runs as one contiguous pass; PReLU's kernel
// walks rows × channels, so it gets 256 channels (every size here is a multiple) and n/256 rows,
// all with the same slope.
#include "common.hpp"
#include "registry.hpp"

#include <xnnpack.h>

#include <limits>
#include <string>
#include <vector>

namespace bench {
namespace {

struct Operator {
  xnn_operator_t op = nullptr;
  Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;
  ~Operator() {
    if (op) xnn_delete_operator(op);
  }
};

// create(&op) and setup(op) return xnn_status; any failure skips the case.
template <class Create, class Setup>
void run(benchmark::State& state, const void* output, Create create, Setup setup) {
  Operator o;
  if (create(&o.op) != xnn_status_success || setup(o.op) != xnn_status_success) {
    state.SkipWithError("XNNPACK: could not create or set up the operator");
    return;
  }
  timed(state, output, [&] { xnn_run_operator(o.op, nullptr); });
}

// An f32 unary operator created with (channels, input_stride, output_stride, [parameters], flags,
// op) and set up with (op, batch, x, y, threadpool).
template <class Create, class Setup>
void unary_case(const std::string& function, Create create, Setup setup) {
  add_elementwise<float>("xnnpack", function, "forward", [create, setup](benchmark::State& state, Eigen::Index n) {
    const Column<float>& x = inputs<float>(n, 1);
    Column<float>& y = outputs<float>(n, 1);
    run(state, y.data(), create,
        [&](xnn_operator_t op) { return setup(op, static_cast<size_t>(n), x.data(), y.data(), nullptr); });
  });
}

void softmax_cases(const SoftmaxShape& shape) {
  if (shape.colwise || !shape.row_major) return;  // softmax_nc: each row of a row-major batch
  add_softmax<float>("xnnpack", "softmax", "forward", shape, [](benchmark::State& state, const SoftmaxShape& s) {
    const Column<float>& x = inputs<float>(s.rows * s.cols, 1);
    Column<float>& y = outputs<float>(x.size(), 1);
    const auto c = static_cast<size_t>(s.cols);
    run(
        state, y.data(), [c](xnn_operator_t* op) { return xnn_create_softmax_nc_f32(c, c, c, 0, op); },
        [&](xnn_operator_t op) {
          return xnn_setup_softmax_nc_f32(op, static_cast<size_t>(s.rows), x.data(), y.data(), nullptr);
        });
  });
}

}  // namespace

void register_xnnpack() {
  if (xnn_initialize(nullptr) != xnn_status_success) return;  // this CPU is not supported: no cases
  constexpr float inf = std::numeric_limits<float>::infinity();
  unary_case(
      "relu", [](xnn_operator_t* op) { return xnn_create_clamp_nc_f32(1, 1, 1, 0.f, inf, 0, op); },
      xnn_setup_clamp_nc_f32);
  unary_case(
      "leaky_relu", [](xnn_operator_t* op) { return xnn_create_leaky_relu_nc_f32(1, 1, 1, 0.01f, 0, op); },
      xnn_setup_leaky_relu_nc_f32);
  unary_case(
      "elu", [](xnn_operator_t* op) { return xnn_create_elu_nc_f32(1, 1, 1, 1.f, 0, op); }, xnn_setup_elu_nc_f32);
  unary_case(
      "sigmoid", [](xnn_operator_t* op) { return xnn_create_sigmoid_nc_f32(1, 1, 1, 0, op); },
      xnn_setup_sigmoid_nc_f32);
  unary_case(
      "hard_swish", [](xnn_operator_t* op) { return xnn_create_hardswish_nc_f32(1, 1, 1, 0, op); },
      xnn_setup_hardswish_nc_f32);

  add_elementwise<float>("xnnpack", "prelu", "forward", [](benchmark::State& state, Eigen::Index n) {
    constexpr size_t channels = 256;
    const std::vector<float> slopes(channels, 0.25f);
    const Column<float>& x = inputs<float>(n, 1);
    Column<float>& y = outputs<float>(n, 1);
    run(
        state, y.data(),
        [&](xnn_operator_t* op) { return xnn_create_prelu_nc_f32(channels, channels, channels, slopes.data(), 0, op); },
        [&](xnn_operator_t op) {
          return xnn_setup_prelu_nc_f32(op, static_cast<size_t>(n) / channels, x.data(), y.data(), nullptr);
        });
  });

  for (const SoftmaxShape& shape : softmax_shapes()) softmax_cases(shape);
}

std::vector<std::pair<std::string, std::string>> xnnpack_context() {
  return {{"xnnpack_threads", "1 (xnn_run_operator with no threadpool)"}};
}

}  // namespace bench
