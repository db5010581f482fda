// tests/fuzz/elementwise_body.hpp — the body of fuzz_elementwise for one scalar type and policy
// (instantiated once per pair in elementwise_<type>_<policy>.cpp, so that the four compile in
// parallel).
//
// Input bytes, in order (past the end, ByteReader's generator continues):
//   functor        0 ReLU 1 LeakyReLU 2 PReLU 3 RReLU 4 ELU 5 SELU 6 Sigmoid 7 Tanh 8 Softsign
//                  9 Softplus 10 Swish 11 HardSwish                     (the type/policy byte was
//                                                                        read by the caller)
//   parameters     mode (defaults / short grid values / any value / PReLU: one alpha per channel),
//                  then the values
//   entry          0 forward 1 derivative 2 backward 3 derivative_from_output
//                  4 backward_from_output 5 forward(x)/derivative(x) returning a new object
//                  6 an expression input and an output without direct access (reverse())
//                  7 PReLU backward with dalpha, RReLU forward_train + backward_train
//                  8 the batch calls and x.unaryExpr(f)
//   shape          kind (row vector, column vector, matrix), length 0–4096, rows of a matrix
//   mismatch       1 in 8: one operand gets another shape
//   aliasing       output = x (in place), dx = dy
//   layouts        x (dy shares x's storage order), dy, output: order, inner stride, padding,
//                  offset
//   values         x, then dy; for the from_output entries y is f(x) unless the input asks for
//                  raw values
//
// What is checked, for every call:
//   * no crash and no sanitizer report (ASan, UBSan, with -fno-sanitize-recover=all);
//   * a call the contract makes invalid (parameters that make f undefined, mismatched shapes,
//     a PReLU channel count that does not match, from_output with a negative slope, a dalpha of
//     the wrong size) throws std::invalid_argument and leaves every operand bit-identical;
//     a valid call does not throw;
//   * the SIMD result (the Eigen entry points, whatever walk the layout selects, and the batch
//     call) equals the scalar call f(x), f.derivative(x), dy·f.derivative(x), …: bit for bit
//     with activ::accurate (the unit tests assert it, docs/accuracy.md), within the documented
//     bound of activ::fast (6 ULP forward and derivative, 7 backward; where f′ crosses zero, in
//     units of eps·Σ|terms|, as docs/accuracy.md measures it);
//   * nothing outside the output's elements changes, and inputs not aliased by an output are
//     unchanged;
//   * NaN appears only where the contract allows it. The decision, quantity by quantity:
//       f(x), f′(x)             NaN exactly where x is NaN (API.md: ±∞ gives the limit, no finite
//                               input gives NaN);
//       dy·f′(x) (backward)     NaN exactly where x or dy is NaN, or dy = ±∞ and f′(x) = 0: the
//                               contract defines dx as the product dy ⊙ f′(x), and IEEE's ∞·0 is
//                               NaN (f′ = 0 at ReLU's x ≤ 0, sigmoid′ of a large |x|, …); a
//                               library that returned 0 there would break the chain rule's
//                               NaN propagation that training loops rely on to detect blow-ups;
//       f′ from y               y = f(x) with x not NaN gives no NaN; a raw y outside f's range
//                               (sigmoid's y = 2) is not an output of f, so only agreement of the
//                               paths is checked there;
//       RReLU noise             never NaN; y = x·noise (0 for a zero slope at x = −∞) NaN exactly
//                               where x is NaN;
//       PReLU dalpha[j]         Σ dy·(x > 0 ? 0 : x): not NaN when no term is NaN (a NaN input,
//                               or ∞·0) and no two terms are infinite with opposite signs; ±∞ when
//                               the exact sum is beyond T's range.
#pragma once

#include "fuzz_common.hpp"

#include <activ/activ.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>

namespace fuzz {

template <class T, class P>
struct ElementwiseRun {
  using A = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  static constexpr bool fast = activ::detail::is_fast_v<P>;

  ByteReader& in;
  std::string context;  // functor, parameters, entry, shape, layouts: printed with a finding

  // ---- parameters ------------------------------------------------------------------------------
  int param_mode = 0;
  T param() {
    if (param_mode == 1) {  // the grid: small values of either sign, zero included
      return static_cast<T>(static_cast<std::int8_t>(in.byte())) / T(16);
    }
    return in.value<T>();
  }

  // Calls body(functor) with the functor and parameters the input asks for, or checks that the
  // constructor throws std::invalid_argument when the contract makes the parameters invalid.
  template <class Body>
  void with_functor(unsigned id, Index cols_hint, const Body& body) {
    const std::uint8_t mode = in.byte();
    param_mode = mode & 3;
    const bool defaults = param_mode == 0;
    std::ostringstream name;
    name << type_text<T>() << (fast ? " fast " : " accurate ");
    auto make = [&](const char* functor, bool valid, const std::string& parameters, auto construct) {
      name << functor << "(" << parameters << ")";
      context = name.str();
      using F = decltype(construct());
      std::optional<F> f;
      try {
        f.emplace(construct());
      } catch (const std::invalid_argument& e) {
        if (valid) fail(context, std::string("the constructor refused valid parameters: ") + e.what());
        return;
      }
      if (!valid) fail(context, "the constructor accepted parameters the contract makes invalid");
      body(*f);
    };
    auto text = [](std::initializer_list<T> values) {
      std::ostringstream out;
      bool first = true;
      for (T v : values) {
        out << (first ? "" : ", ") << show(v);
        first = false;
      }
      return out.str();
    };
    auto finite = [](T v) { return std::isfinite(v); };
    switch (id) {
      case 0:
        return make("ReLU", true, "", [] { return activ::ReLU<T, P>{}; });
      case 1: {
        const T s = defaults ? T(0.01) : param();
        return make("LeakyReLU", finite(s), text({s}), [s] { return activ::LeakyReLU<T, P>{s}; });
      }
      case 2: {
        if (param_mode == 3) {  // one alpha per channel: the columns, or some other count
          const Index count = in.flag() ? std::max<Index>(cols_hint, 1) : 1 + static_cast<Index>(in.below(9));
          Eigen::Array<T, Eigen::Dynamic, 1> alphas(count);
          bool valid = true;
          param_mode = (in.byte() & 1) ? 1 : 2;
          for (Index j = 0; j < count; ++j) {
            alphas(j) = param();
            valid = valid && finite(alphas(j));
          }
          std::ostringstream out;
          out << count << " alphas:";
          for (Index j = 0; j < std::min<Index>(count, 8); ++j) out << " " << show(alphas(j));
          if (count > 8) out << " …";
          if (in.flag()) {  // from a row vector
            const Eigen::Array<T, 1, Eigen::Dynamic> row = alphas.transpose();
            return make("PReLU", valid, out.str(), [&row] { return activ::PReLU<T, P>{row}; });
          }
          return make("PReLU", valid, out.str(), [&alphas] { return activ::PReLU<T, P>{alphas}; });
        }
        const T a = defaults ? T(0.25) : param();
        return make("PReLU", finite(a), text({a}), [a] { return activ::PReLU<T, P>{a}; });
      }
      case 3: {
        const T l = defaults ? T(1) / T(8) : param(), u = defaults ? T(1) / T(3) : param();
        return make("RReLU", finite(l) && finite(u) && l <= u, text({l, u}),
                    [l, u] { return activ::RReLU<T, P>{l, u}; });
      }
      case 4: {
        const T a = defaults ? T(1) : param();
        return make("ELU", finite(a), text({a}), [a] { return activ::ELU<T, P>{a}; });
      }
      case 5:
        return make("SELU", true, "", [] { return activ::SELU<T, P>{}; });
      case 6:
        return make("Sigmoid", true, "", [] { return activ::Sigmoid<T, P>{}; });
      case 7:
        return make("Tanh", true, "", [] { return activ::Tanh<T, P>{}; });
      case 8:
        return make("Softsign", true, "", [] { return activ::Softsign<T, P>{}; });
      case 9: {
        const T b = defaults ? T(1) : param(), t = defaults ? T(20) : param();
        return make("Softplus", finite(b) && b != T(0) && !std::isnan(t), text({b, t}),
                    [b, t] { return activ::Softplus<T, P>{b, t}; });
      }
      case 10: {
        const T b = defaults ? T(1) : param();
        return make("Swish", finite(b), text({b}), [b] { return activ::Swish<T, P>{b}; });
      }
      default:
        return make("HardSwish", true, "", [] { return activ::HardSwish<T, P>{}; });
    }
  }

  // ---- the per-element scalar path -------------------------------------------------------------
  // The slope (or alpha) a functor applies to channel j, as a scalar functor of its own: PReLU with
  // one alpha per channel is checked against PReLU(alpha_j).
  template <class F>
  static bool per_channel(const F& f) {
    if constexpr (std::is_same<F, activ::PReLU<T, P>>::value) {
      return f.alphas.size() > 0;
    } else {
      (void)f;
      return false;
    }
  }

  // Whether derivative_from_output is refused for these parameters (a negative slope).
  template <class F>
  static bool from_output_refused(const F& f) {
    if constexpr (std::is_same<F, activ::LeakyReLU<T, P>>::value) {
      return !(f.negative_slope >= T(0));
    } else if constexpr (std::is_same<F, activ::PReLU<T, P>>::value) {
      bool refused = !(f.alpha >= T(0));
      for (Index j = 0; j < f.alphas.size(); ++j) refused = refused || !(f.alphas(j) >= T(0));
      return refused;
    } else if constexpr (std::is_same<F, activ::RReLU<T, P>>::value) {
      return !(f.lower / T(2) + f.upper / T(2) >= T(0));
    } else if constexpr (std::is_same<F, activ::ELU<T, P>>::value) {
      return !(f.alpha >= T(0));
    } else {
      (void)f;
      return false;
    }
  }

  // Where f′ is a difference of terms (swish′ for βx < 0, hard-swish′ on (−3, 0)), the documented
  // error unit is eps·Σ|terms| (docs/accuracy.md); 0 elsewhere.
  template <class F>
  static long double crossing_floor(const F& f, T x) {
    const long double eps = std::numeric_limits<T>::epsilon();
    if constexpr (std::is_same<F, activ::Swish<T, P>>::value) {
      const long double z = static_cast<long double>(f.beta) * x;
      if (!(z < 0) || std::isinf(z)) return 0;
      const long double s = 1 / (1 + std::exp(-z));
      return eps * (s + std::fabs(z) * s * (1 - s));
    } else if constexpr (std::is_same<F, activ::HardSwish<T, P>>::value) {
      if (!(x > T(-3) && x < T(0))) return 0;
      return eps * (std::fabs(2.0L * x) + 3) / 6;
    } else {
      (void)f;
      (void)x;
      return 0;
    }
  }

  // Where the fast path's f′ is subnormal it carries the subnormal spacing, not T's relative
  // precision, into dy·f′: the error unit of the product is then |dy|·2^−149 (2^−1074). The
  // accurate path is compared bit for bit and needs no floor.
  long double subnormal_floor(T g, T d) const {
    if (!fast || !(std::fabs(d) < std::numeric_limits<T>::min())) return 0;
    return std::fabs(static_cast<long double>(g)) * static_cast<long double>(std::numeric_limits<T>::denorm_min());
  }

  // dy·f′ as the scalar path computes it (accurate: compared bit for bit), or exactly (fast).
  static long double product(T g, T d) {
    if constexpr (fast) return static_cast<long double>(g) * static_cast<long double>(d);
    return g * d;
  }

  // ---- comparing ---------------------------------------------------------------------------------
  // bound 0: bit-identical (NaN payloads aside).
  // expected: a T (the scalar path's result), or for activ::fast's backward the exact product
  // dy·f′ of the scalar path's f′ in long double: rounding that product to T first would turn a
  // product just above max into ∞ and call a finite SIMD result near max infinitely wrong.
  void expect_close(const char* quantity, Index i, Index j, T got, long double expected, long double bound,
                    long double floor, const std::string& inputs) {
    const bool ok = bound == 0 ? same_bits<T>(got, static_cast<T>(expected))
                               : ulp_distance<T>(got, expected, floor) <= bound;
    if (!ok) {
      std::ostringstream out;
      out << quantity << " at (" << i << ", " << j << "): " << inputs << "\n  SIMD/Eigen path " << show(got)
          << "\n  scalar path     " << show(expected) << "\n  allowed: "
          << (bound == 0 ? std::string("the same bits") : std::to_string(static_cast<double>(bound)) + " ULP");
      if (bound != 0) out << ", off by " << static_cast<double>(ulp_distance<T>(got, expected, floor)) << " ULP";
      fail(context, out.str());
    }
  }
  void expect_nan_rule(const char* quantity, Index i, Index j, T got, bool nan_allowed, bool nan_required,
                       const std::string& inputs) {
    const bool nan = std::isnan(got);
    if ((nan && !nan_allowed) || (!nan && nan_required)) {
      std::ostringstream out;
      out << quantity << " at (" << i << ", " << j << "): " << inputs << "\n  got " << show(got) << ": "
          << (nan ? "NaN where the contract allows none" : "not NaN where a NaN input must give NaN");
      fail(context, out.str());
    }
  }

  static std::string inputs_text(const char* a, T x) { return std::string(a) + " = " + show(x); }
  static std::string inputs_text(const char* a, T x, const char* b, T y) {
    return std::string(a) + " = " + show(x) + ", " + b + " = " + show(y);
  }

  void expect_throw_outcome(bool threw, bool invalid, const std::string& what) {
    if (threw && !invalid) fail(context, "a valid call threw std::invalid_argument: " + what);
    if (!threw && invalid) fail(context, "an invalid call did not throw: " + what);
  }

  // ---- one run -------------------------------------------------------------------------------
  template <class F>
  void run(const F& f, unsigned entry, Index rows, Index cols) {
    const bool channels = per_channel(f);
    // Mismatch: one operand takes another shape.
    const std::uint8_t mismatch = in.byte();
    const bool mismatched = (mismatch & 7) == 0;
    const int odd_operand = (mismatch >> 3) % 3;  // 0: output, 1: dy, 2: the second output
    Index odd_rows = rows, odd_cols = cols;
    if (mismatched) {
      switch ((mismatch >> 5) & 3) {
        case 0: odd_rows = rows + 1; break;
        case 1: odd_cols = cols == 0 ? 1 : cols - 1; break;
        case 2: std::swap(odd_rows, odd_cols); break;
        default: odd_rows = rows == 0 ? 2 : 0; break;
      }
      if (odd_rows == rows && odd_cols == cols) odd_rows = rows + 1;  // a square transposed
    }
    const std::uint8_t alias = in.byte();
    Layout lx = read_layout(in), ldy = read_layout(in), lout = read_layout(in);
    ldy.row_major = lx.row_major;  // dy in x's storage order (the output's may differ)
    const bool in_place = !mismatched && (alias & 1);
    const bool dy_in_place = !mismatched && (alias & 2) && !in_place;
    const bool raw_outputs = (alias & 4) != 0;  // from_output entries: y raw, not f(x)

    auto shape_of = [&](int operand) {
      return mismatched && operand == odd_operand ? std::make_pair(odd_rows, odd_cols) : std::make_pair(rows, cols);
    };
    Operand<T> x(rows, cols, lx);
    Operand<T> dy(shape_of(1).first, shape_of(1).second, ldy);
    Operand<T> out(shape_of(0).first, shape_of(0).second, lout);
    // The channel functor of column j (PReLU per channel), or f itself.
    auto scalar_at = [&](Index j) -> F {
      if constexpr (std::is_same<F, activ::PReLU<T, P>>::value) {
        if (channels && j < f.alphas.size()) return activ::PReLU<T, P>{f.alphas(j)};
      }
      (void)j;
      return f;
    };
    const bool has_from_output = activ::detail::has_from_output<F>::value;
    const bool from_output_entry = has_from_output && (entry == 3 || entry == 4);
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < rows; ++i) {
        T v = in.value<T>();
        if constexpr (activ::detail::has_from_output<F>::value) {
          if (from_output_entry && !raw_outputs && !from_output_refused(f)) v = scalar_at(j)(v);
        }
        x.at(i, j) = v;
      }
    for (Index j = 0; j < dy.cols; ++j)
      for (Index i = 0; i < dy.rows; ++i) dy.at(i, j) = in.value<T>();
    // The values y in from_output mode came from f(x) of a non-NaN x wherever they are not NaN.
    const Operand<T> x0 = x, dy0 = dy, out0 = out;

    std::ostringstream where;
    where << context << "\nshape " << rows << "x" << cols;
    if (mismatched) where << ", operand " << (odd_operand == 0 ? "out" : odd_operand == 1 ? "dy" : "second output")
                          << " " << odd_rows << "x" << odd_cols;
    where << "\nx: " << lx.text() << "\ndy: " << ldy.text() << "\nout: " << lout.text()
          << (in_place ? " (in place over x)" : dy_in_place ? " (in place over dy)" : "");

    // Channel checks (PReLU per channel): a vector input takes a single alpha, a matrix one per
    // column.
    bool channel_mismatch = false;
    if constexpr (std::is_same<F, activ::PReLU<T, P>>::value) {
      if (channels) {
        const bool vector = rows == 1 || cols == 1;
        channel_mismatch = vector ? (rows * cols > 0) : cols != f.alphas.size();
      }
    }

    const long double fb = fast ? 6 : 0, bb = fast ? 7 : 0;
    Operand<T>* po = in_place ? &x : dy_in_place ? &dy : &out;
    const bool dy_used = entry == 2 || entry == 4 || entry == 7;

    // ---- entries over the Eigen objects -----------------------------------------------------
    if (entry <= 4) {
      const char* names[] = {"forward", "derivative", "backward", "derivative_from_output", "backward_from_output"};
      if ((entry == 3 || entry == 4) && !has_from_output) entry -= 2;  // derivative / backward instead
      where << "\nentry " << names[entry];
      context = where.str();
      if (!dy_used && dy_in_place) po = &out;
      const bool two_inputs = entry == 2 || entry == 4;
      const bool invalid = (mismatched && (odd_operand == 0 || (odd_operand == 1 && two_inputs))) || channel_mismatch ||
                           (entry >= 3 && from_output_refused(f));
      bool threw = false;
      x.with_map([&](auto xm) {
        using XM = decltype(xm);
        auto dym = dy.template map<XM::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor>();
        po->with_map([&](auto om) {
          threw = throws([&] {
            switch (entry) {
              case 0: f.forward(xm, om); break;
              case 1: f.derivative(xm, om); break;
              case 2: f.backward(xm, dym, om); break;
              case 3:
                if constexpr (activ::detail::has_from_output<F>::value) f.derivative_from_output(xm, om);
                break;
              default:
                if constexpr (activ::detail::has_from_output<F>::value) f.backward_from_output(xm, dym, om);
                break;
            }
          });
        });
      });
      expect_throw_outcome(threw, invalid, names[entry]);
      if (threw) return expect_untouched(x0, x, dy0, dy, out0, out);
      for (Index j = 0; j < cols; ++j) {
        const F s = scalar_at(j);
        for (Index i = 0; i < rows; ++i) {
          const T xv = x0.at(i, j), g = two_inputs ? dy0.at(i, j) : T(0), got = po->at(i, j);
          switch (entry) {
            case 0: {
              const std::string t = inputs_text("x", xv);
              expect_close("forward", i, j, got, s(xv), fb, 0, t);
              expect_nan_rule("forward", i, j, s(xv), std::isnan(xv), std::isnan(xv), t);
              expect_nan_rule("forward", i, j, got, std::isnan(xv), std::isnan(xv), t);
              break;
            }
            case 1: {
              const std::string t = inputs_text("x", xv);
              expect_close("derivative", i, j, got, s.derivative(xv), fb, crossing_floor(s, xv), t);
              expect_nan_rule("derivative", i, j, s.derivative(xv), std::isnan(xv), std::isnan(xv), t);
              expect_nan_rule("derivative", i, j, got, std::isnan(xv), std::isnan(xv), t);
              break;
            }
            case 2: {
              const std::string t = inputs_text("x", xv, "dy", g);
              const T d = s.derivative(xv);
              expect_close("backward", i, j, got, product(g, d), bb,
                           std::max(std::fabs(static_cast<long double>(g)) * crossing_floor(s, xv), subnormal_floor(g, d)), t);
              // ∞·f′ with f′ = 0 is NaN by the formula; the fast path may round a tiny f′ to 0.
              const bool zero_d = d == T(0) || (fast && std::fabs(d) <= 8 * std::numeric_limits<T>::min());
              const bool allowed = std::isnan(xv) || std::isnan(g) || (std::isinf(g) && zero_d);
              expect_nan_rule("backward", i, j, got, allowed, std::isnan(xv) || std::isnan(g), t);
              break;
            }
            case 3: {
              if constexpr (activ::detail::has_from_output<F>::value) {
                const std::string t = inputs_text("y", xv);
                const T d = s.derivative_from_output(xv);
                expect_close("derivative_from_output", i, j, got, d, fb, 0, t);
                expect_nan_rule("derivative_from_output", i, j, got, std::isnan(xv) || raw_outputs, std::isnan(xv), t);
              }
              break;
            }
            default: {
              if constexpr (activ::detail::has_from_output<F>::value) {
                const std::string t = inputs_text("y", xv, "dy", g);
                const T d = s.derivative_from_output(xv);
                expect_close("backward_from_output", i, j, got, product(g, d), bb, subnormal_floor(g, d), t);
                const bool zero_d = d == T(0) || (fast && std::fabs(d) <= 8 * std::numeric_limits<T>::min());
                const bool allowed = std::isnan(xv) || std::isnan(g) || (std::isinf(g) && zero_d) || raw_outputs;
                expect_nan_rule("backward_from_output", i, j, got, allowed, std::isnan(xv) || std::isnan(g), t);
              }
              break;
            }
          }
        }
      }
      expect_guards(*po, "output");
      if (po != &x) expect_same(x0, x, "x");
      if (two_inputs && po != &dy) expect_same(dy0, dy, "dy");
      return;
    }

    // ---- a new object, an expression input, an output without direct access ------------------
    if (entry == 5 || entry == 6) {
      where << "\nentry " << (entry == 5 ? "forward(x) / derivative(x) returning" : "forward(x·1, out.reverse())");
      context = where.str();
      A plain = A::Zero(rows, cols);
      for (Index j = 0; j < cols; ++j)
        for (Index i = 0; i < rows; ++i) plain(i, j) = x0.at(i, j);
      A result, second;
      const bool invalid = channel_mismatch || (entry == 6 && mismatched);
      A target = A::Constant(entry == 6 && mismatched ? odd_rows : rows, entry == 6 && mismatched ? odd_cols : cols,
                             T(7));
      const A target0 = target;
      const bool threw = throws([&] {
        if (entry == 5) {
          result = f.forward(plain);
          x.with_map([&](auto xm) { second = f.derivative(xm); });
        } else {
          f.forward(plain * T(1), target.reverse());
        }
      });
      expect_throw_outcome(threw, invalid, entry == 5 ? "forward(x)" : "forward(x·1, out.reverse())");
      if (threw) {
        if (target.size() > 0 &&  // (an empty Eigen array's data() is null: no memcmp)
            std::memcmp(target.data(), target0.data(), sizeof(T) * static_cast<std::size_t>(target.size())) != 0)
          fail(context, "a refused call wrote its output");
        return;
      }
      for (Index j = 0; j < cols; ++j) {
        const F s = scalar_at(j);
        for (Index i = 0; i < rows; ++i) {
          const T xv = plain(i, j);
          const std::string t = inputs_text("x", xv);
          if (entry == 5) {
            expect_close("forward(x)", i, j, result(i, j), s(xv), fb, 0, t);
            expect_close("derivative(x)", i, j, second(i, j), s.derivative(xv), fb, crossing_floor(s, xv), t);
          } else {
            expect_close("forward into reverse()", i, j, target(rows - 1 - i, cols - 1 - j), s(xv), fb, 0, t);
          }
        }
      }
      return;
    }

    // ---- PReLU's dalpha, RReLU training --------------------------------------------------------
    if (entry == 7) {
      if constexpr (std::is_same<F, activ::PReLU<T, P>>::value) {
        return run_dalpha(f, x, dy, out, x0, dy0, out0, po, mismatched, odd_operand, channel_mismatch, where);
      } else if constexpr (std::is_same<F, activ::RReLU<T, P>>::value) {
        return run_train(f, x, dy, out, x0, dy0, out0, po, mismatched, odd_operand, where);
      }
    }

    // ---- the batch calls, and Eigen's own loop through packetOp ---------------------------------
    where << "\nentry batch calls and x.unaryExpr(f)";
    context = where.str();
    using B = xsimd::batch<T, xsimd::default_arch>;
    constexpr Index W = static_cast<Index>(B::size);
    std::vector<T> flat;
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < rows; ++i) flat.push_back(x0.at(i, j));
    alignas(xsimd::default_arch::alignment()) T lanes[W], results[W];
    for (std::size_t k = 0; k < flat.size(); k += W) {
      for (Index l = 0; l < W; ++l) lanes[l] = k + static_cast<std::size_t>(l) < flat.size() ? flat[k + static_cast<std::size_t>(l)] : T(0);
      const B v = B::load_aligned(lanes);
      f(v).store_aligned(results);
      for (Index l = 0; l < W; ++l) expect_close("f(batch)", Index(k) + l, 0, results[l], f(lanes[l]), fb, 0, inputs_text("x", lanes[l]));
      f.derivative(v).store_aligned(results);
      for (Index l = 0; l < W; ++l)
        expect_close("f.derivative(batch)", Index(k) + l, 0, results[l], f.derivative(lanes[l]), fb,
                     crossing_floor(f, lanes[l]), inputs_text("x", lanes[l]));
      if constexpr (activ::detail::has_from_output<F>::value) {
        if (!from_output_refused(f)) {
          f.derivative_from_output(v).store_aligned(results);
          for (Index l = 0; l < W; ++l)
            expect_close("f.derivative_from_output(batch)", Index(k) + l, 0, results[l],
                         f.derivative_from_output(lanes[l]), fb, 0, inputs_text("y", lanes[l]));
        }
      }
    }
    if (!channels) {
      A plain(rows, cols);
      for (Index j = 0; j < cols; ++j)
        for (Index i = 0; i < rows; ++i) plain(i, j) = x0.at(i, j);
      const A y = plain.unaryExpr(f);
      for (Index j = 0; j < cols; ++j)
        for (Index i = 0; i < rows; ++i)
          expect_close("x.unaryExpr(f)", i, j, y(i, j), f(plain(i, j)), fb, 0, inputs_text("x", plain(i, j)));
    }
    (void)out0;
    (void)dy0;
  }

  void expect_same(const Operand<T>& before, const Operand<T>& after, const char* name) {
    if (!before.same_bits(after)) fail(context, std::string("input ") + name + " changed");
  }
  void expect_guards(const Operand<T>& o, const char* name) {
    if (!o.guards_intact()) fail(context, std::string("a write outside the ") + name + "'s elements");
  }
  void expect_untouched(const Operand<T>& x0, const Operand<T>& x, const Operand<T>& dy0, const Operand<T>& dy,
                        const Operand<T>& out0, const Operand<T>& out) {
    if (!x0.same_bits(x) || !dy0.same_bits(dy) || !out0.same_bits(out))
      fail(context, "a refused call (std::invalid_argument) wrote to an operand");
  }

  // PReLU backward(x, dy, dx, dalpha).
  template <class F>
  void run_dalpha(const F& f, Operand<T>& x, Operand<T>& dy, Operand<T>& out, const Operand<T>& x0,
                  const Operand<T>& dy0, const Operand<T>& out0, Operand<T>* po, bool mismatched, int odd_operand,
                  bool channel_mismatch, std::ostringstream& where) {
    const Index rows = x.rows, cols = x.cols;
    const Index c = f.channels();
    // dalpha: the right length as a column or a row, or (1 in 4) a wrong one.
    const std::uint8_t shape = in.byte();
    Index da_rows = (shape & 1) ? 1 : c, da_cols = (shape & 1) ? c : 1;
    const bool bad_dalpha = (shape & 6) == 0;
    if (bad_dalpha) {
      if (shape & 8) {
        (shape & 1 ? da_cols : da_rows) += 1;
      } else {
        da_rows = 2;
        da_cols = c + 1;
      }
    }
    Operand<T> dalpha(da_rows, da_cols, read_layout(in));
    const Operand<T> dalpha0 = dalpha;
    where << "\nentry backward with dalpha (" << da_rows << "x" << da_cols << ")";
    context = where.str();
    const bool invalid = (mismatched && odd_operand != 2) || channel_mismatch || bad_dalpha;
    const bool threw = throws([&] {
      x.with_map([&](auto xm) {
        using XM = decltype(xm);
        auto dym = dy.template map<XM::IsRowMajor ? Eigen::RowMajor : Eigen::ColMajor>();
        po->with_map([&](auto om) { dalpha.with_map([&](auto am) { f.backward(xm, dym, om, am); }); });
      });
    });
    expect_throw_outcome(threw, invalid, "backward with dalpha");
    if (threw) {
      expect_untouched(x0, x, dy0, dy, out0, out);
      if (!dalpha0.same_bits(dalpha)) fail(context, "a refused call wrote dalpha");
      return;
    }
    for (Index j = 0; j < cols; ++j) {
      const activ::PReLU<T, P> s = f.alphas.size() > 0 ? activ::PReLU<T, P>{f.alphas(j)} : f;
      for (Index i = 0; i < rows; ++i) {
        const T xv = x0.at(i, j), g = dy0.at(i, j);
        expect_close("backward (dx)", i, j, po->at(i, j), g * s.derivative(xv), 0, 0, inputs_text("x", xv, "dy", g));
      }
    }
    // dalpha[k] against a long double sum (64-bit products of T values: exact for float, within
    // 2^−64 relative for double). The library sums in double (float) or Kahan-compensated double:
    // within ulp(S) + 4·eps·Σ|terms| of the exact sum S.
    const long double max = static_cast<long double>(std::numeric_limits<T>::max());
    for (Index k = 0; k < c; ++k) {
      long double sum = 0, magnitude = 0;
      bool nan = false, positive_inf = false, negative_inf = false;
      for (Index j = (c == 1 ? 0 : k); j < (c == 1 ? cols : k + 1); ++j) {
        for (Index i = 0; i < rows; ++i) {
          const T xv = x0.at(i, j), g = dy0.at(i, j);
          if (xv > T(0)) continue;
          const long double term = static_cast<long double>(g) * static_cast<long double>(xv);
          nan = nan || std::isnan(term);
          positive_inf = positive_inf || term == INFINITY;
          negative_inf = negative_inf || term == -INFINITY;
          sum += term;
          magnitude += std::fabs(term);
        }
      }
      const T got = dalpha.at(da_rows == 1 ? 0 : k, da_rows == 1 ? k : 0);
      std::ostringstream what;
      what << "dalpha[" << k << "] = " << show(got) << ", exact sum " << show(sum) << " (Σ|terms| " << show(magnitude)
           << ")";
      const bool nan_allowed = nan || (positive_inf && negative_inf);
      if (std::isnan(got) && !nan_allowed) fail(context, what.str() + ": NaN from terms that are not NaN");
      if (nan_allowed || std::isinf(sum)) continue;
      if (std::fabs(sum) > max) {  // beyond T's range: ±∞ (or ±max, if within half an ulp)
        if (!(std::fabs(got) >= std::numeric_limits<T>::max() && (got > 0) == (sum > 0)))
          fail(context, what.str() + ": the sum is beyond T's range");
        continue;
      }
      if (magnitude > max / 4) continue;  // the library's working sum may overflow: no bound claimed
      const long double bound = ulp_of<T>(sum) + 4 * std::numeric_limits<T>::epsilon() * magnitude;
      if (!(std::fabs(got - sum) <= bound)) fail(context, what.str() + ": beyond ulp(S) + 4·eps·Σ|terms|");
    }
  }

  // RReLU forward_train(x, y, noise, seed) then backward_train(noise, dy, dx).
  template <class F>
  void run_train(const F& f, Operand<T>& x, Operand<T>& dy, Operand<T>& out, const Operand<T>& x0,
                 const Operand<T>& dy0, const Operand<T>& out0, Operand<T>* po, bool mismatched, int odd_operand,
                 std::ostringstream& where) {
    const Index rows = x.rows, cols = x.cols;
    const std::uint64_t seed = in.u64();
    const bool noise_mismatch = mismatched && odd_operand == 2;
    Operand<T> noise(noise_mismatch ? rows + 1 : rows, cols, read_layout(in));
    const Operand<T> noise0 = noise;
    where << "\nentry forward_train (seed " << seed << ") and backward_train";
    context = where.str();
    if (po == &dy) po = &out;
    const bool invalid = mismatched && odd_operand != 1;
    const bool threw = throws([&] {
      x.with_map([&](auto xm) {
        po->with_map([&](auto om) {
          noise.with_map([&](auto nm) {
            if (po == &x) {
              f.forward_train(xm, xm, nm, seed);
            } else {
              f.forward_train(xm, om, nm, seed);
            }
          });
        });
      });
    });
    expect_throw_outcome(threw, invalid, "forward_train");
    if (threw) {
      expect_untouched(x0, x, dy0, dy, out0, out);
      if (!noise0.same_bits(noise)) fail(context, "a refused call wrote noise");
      return;
    }
    // The noise of an element is a function of (seed, position): the same from a copy of x in the
    // other storage order.
    using Other = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Other xr(rows, cols), yr(rows, cols), nr(rows, cols);
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < rows; ++i) xr(i, j) = x0.at(i, j);
    f.forward_train(xr, yr, nr, seed);
    for (Index j = 0; j < cols; ++j) {
      for (Index i = 0; i < rows; ++i) {
        const T xv = x0.at(i, j), a = noise.at(i, j), y = po->at(i, j);
        const std::string t = inputs_text("x", xv, "noise", a);
        const bool in_range = xv > T(0) ? a == T(1) : (a >= f.lower && a <= f.upper);
        if (!in_range) fail(context, "forward_train: the slope is outside [lower, upper] (1 where x > 0): " + t);
        // A zero slope at x = −∞ gives its limit 0 (a·x with x clamped to the lowest finite value).
        const T limit_x = a == T(0) && std::isinf(xv) ? std::numeric_limits<T>::lowest() : xv;
        expect_close("forward_train y = x·noise", i, j, y, limit_x * a, 0, 0, t);
        expect_nan_rule("forward_train", i, j, y, std::isnan(xv), std::isnan(xv), t);
        expect_close("forward_train noise in another storage order", i, j, nr(i, j), a, 0, 0, t);
        expect_close("forward_train y in another storage order", i, j, yr(i, j), y, 0, 0, t);
      }
    }
    expect_guards(*po, "y");
    expect_guards(noise, "noise");
    if (po != &x) expect_same(x0, x, "x");
    // backward_train(noise, dy, dx): dx = dy·noise, here in place over dy when the input asks.
    const Operand<T> noise1 = noise, dy1 = dy;
    Operand<T> dx(dy.rows, dy.cols, out.layout);
    const bool over_dy = (in.byte() & 1) != 0;
    Operand<T>* pdx = over_dy ? &dy : &dx;
    const bool threw_backward = throws([&] {
      noise.with_map([&](auto nm) {
        dy.with_map([&](auto dym) {
          if (over_dy) {
            f.backward_train(nm, dym, dym);
          } else {
            dx.with_map([&](auto om) { f.backward_train(nm, dym, om); });
          }
        });
      });
    });
    const bool backward_invalid = mismatched && odd_operand == 1;
    expect_throw_outcome(threw_backward, backward_invalid, "backward_train");
    if (threw_backward) {
      if (!noise1.same_bits(noise) || !dy1.same_bits(dy)) fail(context, "a refused backward_train wrote");
      return;
    }
    for (Index j = 0; j < cols; ++j) {
      for (Index i = 0; i < rows; ++i) {
        const T a = noise1.at(i, j), g = dy1.at(i, j), got = pdx->at(i, j);
        const std::string t = inputs_text("noise", a, "dy", g);
        expect_close("backward_train", i, j, got, g * a, 0, 0, t);
        expect_nan_rule("backward_train", i, j, got, std::isnan(g) || (std::isinf(g) && a == T(0)), std::isnan(g), t);
      }
    }
    expect_guards(*pdx, "dx");
  }
};

// Reads the rest of the input (after the type/policy byte) and runs one case.
template <class T, class P>
void fuzz_elementwise(ByteReader& in) {
  ElementwiseRun<T, P> run{in, {}};
  const unsigned id = in.byte() % 12;
  const unsigned entry = in.byte() % 9;
  // Shape: a row vector, a column vector or a matrix of 0–4096 elements.
  const std::uint8_t kind = in.byte();
  const Index length = in.u16() % 4097;
  Index rows, cols;
  switch (kind % 3) {
    case 0: rows = 1; cols = length; break;
    case 1: rows = length; cols = 1; break;
    default: {
      rows = 1 + static_cast<Index>(in.byte() % 64);
      cols = length / rows;
      if (kind & 0x80) cols = std::min<Index>(cols, 1 + (kind >> 3) % 16);  // small matrices, often
      break;
    }
  }
  run.with_functor(id, cols, [&](const auto& f) { run.run(f, entry, rows, cols); });
}

void fuzz_elementwise_float_accurate(ByteReader& in);
void fuzz_elementwise_float_fast(ByteReader& in);
void fuzz_elementwise_double_accurate(ByteReader& in);
void fuzz_elementwise_double_fast(ByteReader& in);

}  // namespace fuzz
