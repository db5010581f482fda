// activ/detail/checks.hpp — parameter and shape validation, and the messages users see.
//
// Every message names the functor with its type and the entry point (activ::ELU<float>::forward;
// a constructor as activ::ELU<float>::ELU), then what is wrong with which parameter or operand, and
// the offending values (a parameter's value, both shapes), so that an error far from its cause is
// still readable:
//   activ::ELU<float>::ELU: parameter alpha must be finite, got nan
//   activ::ELU<float>::forward: shape mismatch: x is 3x4 but y is 4x3
// Without exceptions (-fno-exceptions) the same text, prefixed "activ: ", goes to stderr and the
// program aborts.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

namespace activ {
namespace detail {

// Thrown as std::invalid_argument; with exceptions disabled, printed to stderr before abort().
[[noreturn]] inline void fail(const std::string& message) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
  throw std::invalid_argument(message);
#else
  std::fputs(("activ: " + message + "\n").c_str(), stderr);
  std::abort();
#endif
}

template <class T>
constexpr const char* type_name() noexcept {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

// "activ::ELU<float>"
template <class T>
std::string qualified_name(const char* functor) {
  return std::string("activ::") + functor + "<" + type_name<T>() + ">";
}

// "activ::ELU<float>::forward"
template <class T>
std::string entry_name(const char* functor, const char* entry) {
  return qualified_name<T>(functor) + "::" + entry;
}

// "activ::ELU<float>::ELU", where constructors report from.
template <class T>
std::string constructor_name(const char* functor) {
  return entry_name<T>(functor, functor);
}

template <class T>
std::string to_text(T value) {
  std::ostringstream out;
  out.precision(sizeof(T) == sizeof(float) ? 9 : 17);
  out << value;
  return out.str();
}

// A parameter must be finite (NaN or ±∞ would make f or f′ NaN at some finite input).
template <class T>
void require_finite(const char* functor, const char* parameter, T value) {
  if (!std::isfinite(value)) {
    fail(constructor_name<T>(functor) + ": parameter " + parameter + " must be finite, got " + to_text(value));
  }
}

template <class T>
void require_not_nan(const char* functor, const char* parameter, T value) {
  if (std::isnan(value)) {
    fail(constructor_name<T>(functor) + ": parameter " + parameter + " must not be NaN, got " + to_text(value));
  }
}

template <class T>
void require_nonzero(const char* functor, const char* parameter, T value) {
  if (value == T(0)) {
    fail(constructor_name<T>(functor) + ": parameter " + parameter + " must be nonzero (it divides), got " +
         to_text(value));
  }
}

// derivative_from_output needs f′ to be a function of y = f(x): for a negative slope or alpha, one
// y comes from two inputs with different slopes.
template <class T>
[[noreturn]] void fail_from_output(const char* functor, const char* entry, const char* parameter, T value) {
  fail(entry_name<T>(functor, entry) + ": f' is not a function of the output when " + parameter + " < 0 (got " +
       to_text(value) + "); use the form that takes x");
}

// Eigen::Index is std::ptrdiff_t; long long holds it on every ABI (long is 32 bits on Windows).
inline std::string shape_text(long long rows, long long cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

// Shapes must agree exactly (a 1x6 row is not a 6x1 column, as in Eigen's own assignments).
template <class T, class A, class B>
void require_same_shape(const char* functor, const char* entry, const char* name_a, const A& a, const char* name_b,
                        const B& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    fail(entry_name<T>(functor, entry) + ": shape mismatch: " + name_a + " is " + shape_text(a.rows(), a.cols()) +
         " but " + name_b + " is " + shape_text(b.rows(), b.cols()));
  }
}

}  // namespace detail
}  // namespace activ
