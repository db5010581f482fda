// activ/detail/elementwise.hpp — the CRTP base that turns a functor's math into the contract.
//
// A functor F derives from Elementwise<F, T> and defines, once and generically over V = T or
// xsimd::batch<T, A>:
//     template <class V> V eval(const V& x) const;             // f(x)
//     template <class V> V eval_derivative(const V& x) const;  // f′(x)
//     static constexpr const char* name = "…";                  // for messages
// This base supplies every entry point of ../API.md from those: scalar and batch calls, and the
// Eigen forward / derivative / backward, which validate shapes, make operands addressable, and
// hand one generic body to the single storage driver (transform.hpp). Optionally, for those walks:
//     auto kernel() const;                               // a trivially copyable copy of the bodies
//     template <class Use> void with_kernel(const Use&) const;  // use(k): the bodies chosen per call
#pragma once

#include "../policy.hpp"
#include "checks.hpp"
#include "eigen_functor.hpp"
#include "simd.hpp"
#include "transform.hpp"

#include <Eigen/Core>

#include <type_traits>
#include <utility>

namespace activ {
namespace detail {

// Whether E is a dense Eigen object (Array, Matrix, Map, Ref, Block, VectorBlock, …): derived from
// DenseBase of whatever its derived() is (a VectorBlock's DenseBase is its Block's).
template <class E, class = void>
struct is_eigen_dense : std::false_type {};
template <class E>
struct is_eigen_dense<E, std::void_t<decltype(std::declval<E&>().derived())>>
    : std::is_base_of<Eigen::DenseBase<std::decay_t<decltype(std::declval<E&>().derived())>>, E> {};
template <class E>
inline constexpr bool is_eigen_dense_v = is_eigen_dense<std::decay_t<E>>::value;

template <class E>
inline constexpr bool has_direct_access_v = (std::decay_t<E>::Flags & Eigen::DirectAccessBit) != 0;

// An input as something with data() and strides: itself when it has direct access, otherwise its
// evaluation into a plain object (an expression such as x * 2 or x.reverse()).
template <class X>
decltype(auto) addressable(const X& x) {
  if constexpr (has_direct_access_v<X>) {
    return (x);
  } else {
    return typename X::PlainObject(x);
  }
}

// Whether an input's memory overlaps the output's without being exactly the same elements in the
// same order. Exact aliasing is safe in the driver; any other overlap needs a copy of the input.
template <class Out, class In>
bool overlaps_inexactly(const Out& out, const In& in) {
  using T = typename Out::Scalar;
  if (out.size() == 0 || in.size() == 0) return false;
  const std::array<Index, 2> so = strides_of(out), si = strides_of(in);
  if (static_cast<const void*>(out.data()) == static_cast<const void*>(in.data()) && so == si) return false;
  auto last = [](const auto& e, const std::array<Index, 2>& s) {
    return e.data() + (e.rows() - 1) * s[0] + (e.cols() - 1) * s[1];
  };
  const T* out_begin = out.data();
  const T* out_end = last(out, so);
  const T* in_begin = in.data();
  const T* in_end = last(in, si);
  return !(out_end < in_begin || in_end < out_begin);
}

// Calls body(out, in...) with operands that have addressable storage and do not partially overlap:
// an output without direct access is computed into a plain object and assigned; an input without
// it (an expression) is evaluated; an input overlapping the output other than exactly is copied.
template <class Body, class Out, class... In>
void with_addressable_inputs(const Body& body, Out& out, const In&... in) {
  if ((overlaps_inexactly(out, in) || ...)) {
    body(out, typename In::PlainObject(in)...);
  } else {
    body(out, in...);
  }
}

template <class Body, class Out, class... In>
void with_storage(const Body& body, Out&& out, const In&... in) {
  using O = std::decay_t<Out>;
  if constexpr (!has_direct_access_v<O>) {
    typename O::PlainObject tmp(out.rows(), out.cols());
    with_storage(body, tmp, in...);
    out = tmp;
  } else {
    with_addressable_inputs(body, out, addressable(in)...);
  }
}

// Whether a functor F computes f′ from the output y = f(x) (eval_derivative_from_output).
template <class F, class = void>
struct has_from_output : std::false_type {};
template <class F>
struct has_from_output<
    F, std::void_t<decltype(std::declval<const F&>().eval_derivative_from_output(std::declval<typename F::Scalar>()))>>
    : std::true_type {};

// Whether a functor F offers a kernel() for the Eigen walks (see Elementwise::held).
template <class F, class = void>
struct has_kernel : std::false_type {};
template <class F>
struct has_kernel<F, std::void_t<decltype(std::declval<const F&>().kernel())>> : std::true_type {};

// Whether a functor F chooses the body of its Eigen walks once per call (see Elementwise::with_held).
struct any_kernel_use {
  template <class K>
  void operator()(const K&) const {}
};
template <class F, class = void>
struct has_with_kernel : std::false_type {};
template <class F>
struct has_with_kernel<F, std::void_t<decltype(std::declval<const F&>().with_kernel(any_kernel_use{}))>>
    : std::true_type {};

// Batches per iteration of the contiguous main loop (transform.hpp, run_packed): two for a functor
// whose body is a few operations, as its Eigen cost says (at most 20 multiplications: the ReLU
// family, hard-swish, softsign), one for the rest.
template <class F, class T>
inline constexpr int batches_per_iteration =
    Eigen::internal::functor_traits<F>::Cost <= 20 * Eigen::NumTraits<T>::MulCost ? 2 : 1;

template <class Derived, class T>
struct Elementwise {
  using Scalar = T;

  // ---- scalar and batch -------------------------------------------------------------------
  T operator()(T x) const { return self().eval(x); }
  T derivative(T x) const { return self().eval_derivative(x); }

  template <class A>
  xsimd::batch<T, A> operator()(const xsimd::batch<T, A>& x) const {
    return self().eval(x);
  }
  template <class A>
  xsimd::batch<T, A> derivative(const xsimd::batch<T, A>& x) const {
    return self().eval_derivative(x);
  }

#if ACTIV_HAS_SIMD
  // Eigen's packet interface (x.unaryExpr(f) vectorizes through it, see eigen_functor.hpp).
  template <class Packet>
  Packet packetOp(const Packet& p) const {
    using A = arch_of_packet<T, Packet>;
    static_assert(!std::is_void<A>::value, "activ: no xsimd arch matches this Eigen packet type");
    return Packet(self().eval(xsimd::batch<T, A>(p)));
  }
#endif

  // ---- Eigen ------------------------------------------------------------------------------
  // The bodies handed to the driver hold a copy of the functor when it is trivially copyable: its
  // parameters are then locals that the loop keeps in registers, not memory that a store through
  // the output might change. Others (PReLU with per-channel alphas) are held by reference.
  // y = f(x)
  template <class X, class Y, std::enable_if_t<is_eigen_dense_v<Y>, int> = 0>
  void forward(const Eigen::DenseBase<X>& x, Y&& y) const {
    check_shapes("forward", x.derived(), "x", y, "y");
    with_held([&](const auto h) { apply([h](const auto& v) { return h.f.eval(v); }, y, x.derived()); });
  }

  // d = f′(x)
  template <class X, class D, std::enable_if_t<is_eigen_dense_v<D>, int> = 0>
  void derivative(const Eigen::DenseBase<X>& x, D&& d) const {
    check_shapes("derivative", x.derived(), "x", d, "d");
    with_held([&](const auto h) { apply([h](const auto& v) { return h.f.eval_derivative(v); }, d, x.derived()); });
  }

  // dx = dy ⊙ f′(x)
  template <class X, class DY, class DX, std::enable_if_t<is_eigen_dense_v<DX>, int> = 0>
  void backward(const Eigen::DenseBase<X>& x, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    check_shapes("backward", x.derived(), "x", dx, "dx");
    check_shapes("backward", dy.derived(), "dy", dx, "dx");
    with_held([&](const auto h) {
      apply([h](const auto& v, const auto& g) { return g * h.f.eval_derivative(v); }, dx, x.derived(), dy.derived());
    });
  }

  // A new object of x's shape (and kind: Array or Matrix, storage order) holding f(x).
  template <class X>
  typename X::PlainObject forward(const Eigen::DenseBase<X>& x) const {
    typename X::PlainObject y(x.rows(), x.cols());
    self().forward(x, y);  // the functor's own forward(x, y), where it has one (PReLU per channel)
    return y;
  }

  // A new object of x's shape holding f′(x).
  template <class X>
  typename X::PlainObject derivative(const Eigen::DenseBase<X>& x) const {
    typename X::PlainObject d(x.rows(), x.cols());
    self().derivative(x, d);
    return d;
  }

  // ---- from the output, where f′ is a function of y = f(x) ----------------------------------
  // (sigmoid, tanh, ReLU, LeakyReLU/PReLU/RReLU with a slope ≥ 0, ELU with α ≥ 0, SELU, softplus):
  // backward then needs only y, which the forward pass keeps anyway. The result is exact for the
  // rounded y; where f′ is ill-conditioned in y (ELU at x ≪ 0, σ near 1) it inherits y's rounding.
  template <class D = Derived, std::enable_if_t<has_from_output<D>::value, int> = 0>
  T derivative_from_output(T y) const {
    self().check_from_output("derivative_from_output");
    return self().eval_derivative_from_output(y);
  }
  template <class A, class D = Derived, std::enable_if_t<has_from_output<D>::value, int> = 0>
  xsimd::batch<T, A> derivative_from_output(const xsimd::batch<T, A>& y) const {
    self().check_from_output("derivative_from_output");
    return self().eval_derivative_from_output(y);
  }

  // d = f′ computed from y = f(x)
  template <class Y, class Dout, class D = Derived,
            std::enable_if_t<has_from_output<D>::value && is_eigen_dense_v<Dout>, int> = 0>
  void derivative_from_output(const Eigen::DenseBase<Y>& y, Dout&& d) const {
    check_shapes("derivative_from_output", y.derived(), "y", d, "d");
    self().check_from_output("derivative_from_output");
    apply([h = held()](const auto& v) { return h.f.eval_derivative_from_output(v); }, d, y.derived());
  }

  // dx = dy ⊙ f′, f′ computed from y = f(x)
  template <class Y, class DY, class DX, class D = Derived,
            std::enable_if_t<has_from_output<D>::value && is_eigen_dense_v<DX>, int> = 0>
  void backward_from_output(const Eigen::DenseBase<Y>& y, const Eigen::DenseBase<DY>& dy, DX&& dx) const {
    check_shapes("backward_from_output", y.derived(), "y", dx, "dx");
    check_shapes("backward_from_output", dy.derived(), "dy", dx, "dx");
    self().check_from_output("backward_from_output");
    apply([h = held()](const auto& v, const auto& g) { return g * h.f.eval_derivative_from_output(v); }, dx,
          y.derived(), dy.derived());
  }

  // A new object of y's shape holding f′ computed from y.
  template <class Y, class D = Derived, std::enable_if_t<has_from_output<D>::value, int> = 0>
  typename Y::PlainObject derivative_from_output(const Eigen::DenseBase<Y>& y) const {
    typename Y::PlainObject d(y.rows(), y.cols());
    self().derivative_from_output(y, d);
    return d;
  }

  // Functors whose f′ is a function of y only for some parameters (a slope ≥ 0) hide this with a
  // check that throws std::invalid_argument.
  void check_from_output(const char*) const {}

 protected:
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  // What the Eigen walks call. A trivially copyable functor is copied into the loop, where its
  // parameters stay in registers; through a reference they are reloaded after every store of a T
  // (which might alias them). A functor that is not (PReLU owns its per-channel slopes) may offer a
  // trivially copyable `kernel()` with the same bodies for the cases that reach these walks;
  // otherwise it is held by reference.
  template <class K>
  struct holder {
    std::conditional_t<std::is_trivially_copyable<K>::value, K, const K&> f;
  };
  auto held() const {
    if constexpr (has_kernel<Derived>::value) {
      using K = decltype(self().kernel());
      static_assert(std::is_trivially_copyable<K>::value, "activ: a functor's kernel() must be trivially copyable");
      return holder<K>{self().kernel()};
    } else {
      return holder<Derived>{self()};
    }
  }

  // use(holder) with held(), or, for a functor with `with_kernel(use)`, with each kernel that it
  // passes: a parameter's special case (Swish and Softplus of the fast policy at β = 1) is then
  // decided once per call instead of in every iteration, where GCC did not always hoist the test
  // out of the loop.
  template <class Use>
  void with_held(const Use& use) const {
    if constexpr (has_with_kernel<Derived>::value) {
      self().with_kernel([&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        static_assert(std::is_trivially_copyable<K>::value, "activ: with_kernel's kernels must be trivially copyable");
        use(holder<K>{k});
      });
    } else {
      use(held());
    }
  }

  template <class A, class B>
  static void check_shapes(const char* entry, const A& a, const char* name_a, const B& b, const char* name_b) {
    require_same_shape<T>(Derived::name, entry, name_a, a, name_b, b);
  }

  template <class Body, class Out, class... In>
  static void apply(const Body& body, Out&& out, const In&... in) {
    static_assert(std::is_same<typename std::decay_t<Out>::Scalar, T>::value &&
                      (std::is_same<typename In::Scalar, T>::value && ...),
                  "activ: every operand must have the functor's scalar type T");
    with_storage([&](auto& o, const auto&... i) { transform<T, batches_per_iteration<Derived, T>>(body, o, i...); },
                 std::forward<Out>(out), in...);
  }
};

}  // namespace detail
}  // namespace activ
