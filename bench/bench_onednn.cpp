// bench/bench_onednn.cpp — oneDNN (2.x API, as in Debian 12's libdnnl-dev 2.6) as a peer, float
// only (oneDNN 2.6 has no f64):
//   eltwise forward (forward_inference) and backward from the source x (forward hint:
//   forward_training) for relu, leaky_relu (relu with alpha), elu, sigmoid (logistic), tanh,
//   softplus (soft_relu: β = 1), swish (alpha = β = 1) and hard_swish; backward_from_output with
//   the *_use_dst_for_bwd algorithms, which exist for relu (and leaky relu), elu, logistic and tanh;
//   prelu_forward (256 channels with equal slopes, see prelu_case);
//   softmax_v2 (softmax_accurate, softmax_log) forward and backward (from dst) on every shape.
// Not in oneDNN 2.6: selu, softsign, rrelu; prelu_backward always computes the slope gradient too
// (activ's plain backward does not), so it is not measured.
//
// Primitives and memory objects are created outside the timed loop; the loop is execute + wait.
// Threads: this build of oneDNN uses the OpenMP runtime, whose thread count 2.6 offers no API for;
// pin_to_one_thread() calls libgomp's omp_set_num_threads(1) (found with dlsym in the libgomp that
// libdnnl loaded) before any primitive runs, and tools/bench.sh also exports OMP_NUM_THREADS=1.
// The benchmark context records the count in effect (onednn_threads).
#include "common.hpp"
#include "registry.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <dlfcn.h>

#include <string>
#include <unordered_map>

namespace bench {
namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}
dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

// The OpenMP thread count oneDNN will use, or −1 if libgomp's API is not in the process.
int openmp_threads() {
  using get_t = int (*)();
  auto get = reinterpret_cast<get_t>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  return get ? get() : -1;
}

void pin_to_one_thread() {
  using set_t = void (*)(int);
  auto set = reinterpret_cast<set_t>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  if (set) set(1);
}

memory wrap(const memory::desc& desc, const float* data) {
  // oneDNN's memory objects take void*; the inputs are only read.
  return memory(desc, engine(), const_cast<float*>(data));
}

template <class Setup>
void run(benchmark::State& state, const void* output, Setup setup) {
  try {
    auto [primitive, args, label] = setup();
    state.SetLabel(label);
    timed(state, output, [&] {
      primitive.execute(stream(), args);
      stream().wait();
    });
  } catch (const dnnl::error& e) {
    state.SkipWithError(e.what());
  }
}

using Args = std::unordered_map<int, memory>;

struct Eltwise {
  const char* function;
  algorithm forward;
  algorithm from_output;  // the *_use_dst_for_bwd algorithm, or undef
  float alpha, beta;
};

void eltwise_cases(const Eltwise& e) {
  add_elementwise<float>("onednn", e.function, "forward", [e](benchmark::State& state, Eigen::Index n) {
    const Column<float>& x = inputs<float>(n, 1);
    Column<float>& y = outputs<float>(n, 1);
    run(state, y.data(), [&] {
      const memory::desc md({n}, memory::data_type::f32, memory::format_tag::a);
      const dnnl::eltwise_forward::primitive_desc pd(
          dnnl::eltwise_forward::desc(prop_kind::forward_inference, e.forward, md, e.alpha, e.beta), engine());
      Args args{{DNNL_ARG_SRC, wrap(md, x.data())}, {DNNL_ARG_DST, wrap(md, y.data())}};
      return std::make_tuple(dnnl::primitive(dnnl::eltwise_forward(pd)), args, std::string(pd.impl_info_str()));
    });
  });

  // Backward from x (use_dst = false) or from y = f(x) (use_dst = true).
  auto backward = [e](benchmark::State& state, Eigen::Index n, bool use_dst) {
    const Column<float>& x = inputs<float>(n, 1);
    const Column<float>& dy = inputs<float>(n, 2);
    Column<float>& y = outputs<float>(n, 1);
    Column<float>& dx = outputs<float>(n, 2);
    run(state, dx.data(), [&] {
      const algorithm alg = use_dst ? e.from_output : e.forward;
      const memory::desc md({n}, memory::data_type::f32, memory::format_tag::a);
      const dnnl::eltwise_forward::primitive_desc hint(
          dnnl::eltwise_forward::desc(prop_kind::forward_training, alg, md, e.alpha, e.beta), engine());
      const dnnl::eltwise_backward::primitive_desc pd(dnnl::eltwise_backward::desc(alg, md, md, e.alpha, e.beta),
                                                      engine(), hint);
      Args args{{DNNL_ARG_DIFF_DST, wrap(md, dy.data())}, {DNNL_ARG_DIFF_SRC, wrap(md, dx.data())}};
      if (use_dst) {
        dnnl::eltwise_forward(hint).execute(stream(),
                                            {{DNNL_ARG_SRC, wrap(md, x.data())}, {DNNL_ARG_DST, wrap(md, y.data())}});
        stream().wait();
        args.emplace(DNNL_ARG_DST, wrap(md, y.data()));
      } else {
        args.emplace(DNNL_ARG_SRC, wrap(md, x.data()));
      }
      return std::make_tuple(dnnl::primitive(dnnl::eltwise_backward(pd)), args, std::string(pd.impl_info_str()));
    });
  };
  add_elementwise<float>("onednn", e.function, "backward",
                         [backward](benchmark::State& state, Eigen::Index n) { backward(state, n, false); });
  if (e.from_output != algorithm::undef) {
    add_elementwise<float>("onednn", e.function, "backward_from_output",
                           [backward](benchmark::State& state, Eigen::Index n) { backward(state, n, true); });
  }
}

// oneDNN 2.6 has only its reference kernel (ref:any) for a single slope broadcast over a 1-D or
// 2-D source, and a jit kernel (jit_uni) for one slope per channel; so, as for XNNPACK, n/256 rows
// of 256 channels, every slope the same.
void prelu_case(float alpha) {
  add_elementwise<float>("onednn", "prelu", "forward", [alpha](benchmark::State& state, Eigen::Index n) {
    constexpr memory::dim channels = 256;
    const Column<float>& x = inputs<float>(n, 1);
    Column<float>& y = outputs<float>(n, 1);
    const Column<float> slopes = Column<float>::Constant(channels, alpha);
    run(state, y.data(), [&] {
      const memory::desc md({n / channels, channels}, memory::data_type::f32, memory::format_tag::ab);
      const memory::desc wd({1, channels}, memory::data_type::f32, memory::format_tag::ab);
      const dnnl::prelu_forward::primitive_desc pd(dnnl::prelu_forward::desc(prop_kind::forward_inference, md, wd),
                                                   engine());
      Args args{{DNNL_ARG_SRC, wrap(md, x.data())},
                {DNNL_ARG_WEIGHTS, wrap(wd, slopes.data())},
                {DNNL_ARG_DST, wrap(md, y.data())}};
      return std::make_tuple(dnnl::primitive(dnnl::prelu_forward(pd)), args, std::string(pd.impl_info_str()));
    });
  });
}

void softmax_cases(const std::string& function, algorithm alg, const SoftmaxShape& shape) {
  for (const bool backward : {false, true}) {
    add_softmax<float>(
        "onednn", function, backward ? "backward" : "forward", shape,
        [alg, backward](benchmark::State& state, const SoftmaxShape& s) {
          const Column<float>& x = inputs<float>(s.rows * s.cols, 1);
          const Column<float>& dy = inputs<float>(s.rows * s.cols, 2);
          Column<float>& y = outputs<float>(x.size(), 1);
          Column<float>& dx = outputs<float>(x.size(), 2);
          run(state, backward ? dx.data() : y.data(), [&] {
            // rows × cols in the shape's storage order; the distributions run along
            // axis 1 (rowwise) or 0 (colwise).
            const memory::desc md({s.rows, s.cols}, memory::data_type::f32,
                                  s.row_major ? memory::format_tag::ab : memory::format_tag::ba);
            const int axis = s.colwise ? 0 : 1;
            const dnnl::softmax_v2_forward::primitive_desc forward(
                dnnl::softmax_v2_forward::desc(backward ? prop_kind::forward_training : prop_kind::forward_inference,
                                               alg, md, md, axis),
                engine());
            Args forward_args{{DNNL_ARG_SRC, wrap(md, x.data())}, {DNNL_ARG_DST, wrap(md, y.data())}};
            if (!backward) {
              return std::make_tuple(dnnl::primitive(dnnl::softmax_v2_forward(forward)), forward_args,
                                     std::string(forward.impl_info_str()));
            }
            dnnl::softmax_v2_forward(forward).execute(stream(), forward_args);
            stream().wait();
            const dnnl::softmax_v2_backward::primitive_desc pd(dnnl::softmax_v2_backward::desc(alg, md, md, md, axis),
                                                               engine(), forward);
            Args args{{DNNL_ARG_DST, wrap(md, y.data())},
                      {DNNL_ARG_DIFF_DST, wrap(md, dy.data())},
                      {DNNL_ARG_DIFF_SRC, wrap(md, dx.data())}};
            return std::make_tuple(dnnl::primitive(dnnl::softmax_v2_backward(pd)), args,
                                   std::string(pd.impl_info_str()));
          });
        });
  }
}

}  // namespace

void register_onednn() {
  pin_to_one_thread();
  const Eltwise eltwise[] = {
      {"relu", algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd, 0.f, 0.f},
      {"leaky_relu", algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd, 0.01f, 0.f},
      {"elu", algorithm::eltwise_elu, algorithm::eltwise_elu_use_dst_for_bwd, 1.f, 0.f},
      {"sigmoid", algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd, 0.f, 0.f},
      {"tanh", algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0.f, 0.f},
      {"softplus", algorithm::eltwise_soft_relu, algorithm::undef, 0.f, 0.f},
      {"swish", algorithm::eltwise_swish, algorithm::undef, 1.f, 0.f},
      {"hard_swish", algorithm::eltwise_hardswish, algorithm::undef, 0.f, 0.f},
  };
  for (const Eltwise& e : eltwise) eltwise_cases(e);
  prelu_case(0.25f);
  for (const SoftmaxShape& shape : softmax_shapes()) {
    softmax_cases("softmax", algorithm::softmax_accurate, shape);
    softmax_cases("log_softmax", algorithm::softmax_log, shape);
  }
}

std::vector<std::pair<std::string, std::string>> onednn_context() {
  const dnnl_version_t* v = dnnl::version();
  return {
      {"onednn_version", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch)},
      {"onednn_threads", std::to_string(openmp_threads()) + " (OpenMP: omp_set_num_threads(1), OMP_NUM_THREADS=1)"}};
}

}  // namespace bench
