// tests/fuzz/fuzz_common.hpp — what the libFuzzer targets share: a reader that turns the fuzzer's
// bytes into decisions and values, operands laid out in guarded buffers (any storage order, inner
// stride, padding between rows/columns, unaligned start), the error measure, and the report
// printed before a finding aborts.
//
// The byte format is ours and documented at each target's top; make_corpus.py writes the seeds.
// Past the end of the input every read gives values from a generator seeded by the bytes read so
// far, so a short input still describes a long array of varied values (and 0–4096 elements cost
// no more input than 8).
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace fuzz {

using Index = Eigen::Index;

// Whether `call` throws std::invalid_argument; any other exception propagates (a finding).
template <class Call>
bool throws(const Call& call) {
  try {
    call();
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() {
    if (position_ < size_) {
      const std::uint8_t b = data_[position_++];
      state_ = state_ * 0x100000001b3ULL ^ b;  // FNV-style: the tail generator depends on the input
      return b;
    }
    return static_cast<std::uint8_t>(next() >> 56);
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v |= static_cast<std::uint64_t>(byte()) << (8 * k);
    return v;
  }
  bool flag() { return (byte() & 1) != 0; }
  // A choice in [0, n).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : byte() % n; }
  bool exhausted() const { return position_ >= size_; }

  // Any bit pattern of T.
  template <class T>
  T bits() {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    U u = 0;
    for (std::size_t k = 0; k < sizeof(T); ++k) u |= static_cast<U>(byte()) << (8 * k);
    T v;
    std::memcpy(&v, &u, sizeof v);
    return v;
  }

  // One input value: a special value, a point of a fine grid over [−512, 512) (every kink of every
  // functor lies on it), any bit pattern, or a number of any magnitude and sign.
  template <class T>
  T value() {
    const std::uint8_t mode = byte();
    if (mode < 64) return special<T>(mode);
    if (mode < 128) return static_cast<T>(static_cast<std::int16_t>(u16())) / T(64);
    if (mode < 176) return bits<T>();
    using L = std::numeric_limits<T>;
    const int span = L::max_exponent - L::min_exponent + L::digits;  // down to denorm_min
    const int exponent = static_cast<int>(u16() % static_cast<unsigned>(span)) + L::min_exponent - L::digits;
    const T mantissa = T(1) + static_cast<T>(u16()) / T(65536);
    const T magnitude = std::ldexp(mantissa, exponent);
    return (mode & 1) ? -magnitude : magnitude;
  }

  template <class T>
  static T special(unsigned k) {
    using L = std::numeric_limits<T>;
    const T table[] = {T(0),           -T(0),       L::infinity(),     -L::infinity(),     L::quiet_NaN(),
                       -L::quiet_NaN(), L::denorm_min(), -L::denorm_min(), L::min(),         -L::min(),
                       L::max(),       -L::max(),   T(1),              T(-1),              T(3),
                       T(-3),          T(20),       T(-20),            T(37),              T(-37),
                       T(88.72),       T(-87.34),   T(-103.97),        T(104),             T(709.78),
                       T(-708.4),      T(-745.13),  T(746),            T(44.36),           T(-354.89),
                       T(17.33),       T(-9.01),    T(-1.2785),        T(-1.5),            L::epsilon(),
                       -L::epsilon(),  T(1) + L::epsilon(), T(1) - L::epsilon() / 2, L::min() / 3, -L::min() / 7,
                       T(0.5),         T(-0.5),     T(1e-8),           T(-1e-20),          T(1e30),
                       T(-1e30),       T(2.5),      T(-0.25),          L::signaling_NaN(), T(-88.7)};
    return table[k % (sizeof table / sizeof table[0])];
  }

 private:
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// ---- operands ----------------------------------------------------------------------------------

// Where a rows × cols operand lives: storage order, distance between neighbours along the inner
// dimension, extra elements between consecutive outer slices, elements before the first one (an
// unaligned start).
struct Layout {
  bool row_major = false;
  Index inner = 1;
  Index pad = 0;
  Index offset = 0;
  bool contiguous() const { return inner == 1 && pad == 0; }
  std::string text() const {
    std::ostringstream out;
    out << (row_major ? "row-major" : "col-major") << " inner stride " << inner << " pad " << pad << " offset "
        << offset;
    return out.str();
  }
};

inline Layout read_layout(ByteReader& in) {
  const std::uint8_t b = in.byte();
  Layout l;
  l.row_major = (b & 1) != 0;
  // Mostly contiguous (the SIMD runs), otherwise strided or padded (gathered), either way at any of
  // eight start offsets.
  l.inner = (b & 0x06) == 0x06 ? 1 + ((b >> 3) & 1) + ((b >> 4) & 1) : 1;
  l.pad = (b & 0x20) ? 1 + ((b >> 6) & 3) : 0;
  l.offset = in.byte() & 7;
  return l;
}

template <class T, int Order>
using StridedMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Order>, Eigen::Unaligned,
                              Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;

// A buffer holding one operand at its layout; every element outside the operand is a guard value
// that no call may change.
template <class T>
struct Operand {
  Index rows = 0, cols = 0;
  Layout layout;
  std::vector<T> storage;

  Operand() = default;
  Operand(Index r, Index c, const Layout& l) : rows(r), cols(c), layout(l) {
    const Index outer_n = l.row_major ? r : c;
    storage.assign(static_cast<std::size_t>(l.offset + outer_n * outer_stride() + 8), guard());
  }
  static T guard() {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    const U pattern = sizeof(T) == 4 ? U(0x7fa5a5a5u) : U(0x7ff5a5a5a5a5a5a5ull);  // a NaN with a payload
    T v;
    std::memcpy(&v, &pattern, sizeof v);
    return v;
  }
  Index outer_stride() const {
    const Index inner_n = layout.row_major ? cols : rows;
    return inner_n * layout.inner + layout.pad;
  }
  Index position(Index i, Index j) const {
    return layout.offset + (layout.row_major ? i * outer_stride() + j * layout.inner
                                             : j * outer_stride() + i * layout.inner);
  }
  T& at(Index i, Index j) { return storage[static_cast<std::size_t>(position(i, j))]; }
  T at(Index i, Index j) const { return storage[static_cast<std::size_t>(position(i, j))]; }
  T* base() { return storage.data() + layout.offset; }

  template <int Order>
  StridedMap<T, Order> map() {
    return StridedMap<T, Order>(base(), rows, cols, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(outer_stride(), layout.inner));
  }
  // body(map) with this operand's storage order.
  template <class Body>
  void with_map(const Body& body) {
    if (layout.row_major) {
      body(map<Eigen::RowMajor>());
    } else {
      body(map<Eigen::ColMajor>());
    }
  }
  bool same_bits(const Operand& other) const {
    return storage.size() == other.storage.size() &&
           std::memcmp(storage.data(), other.storage.data(), storage.size() * sizeof(T)) == 0;
  }
  // Elements outside the operand still hold the guard.
  bool guards_intact() const {
    std::vector<char> inside(storage.size(), 0);
    for (Index i = 0; i < rows; ++i)
      for (Index j = 0; j < cols; ++j) inside[static_cast<std::size_t>(position(i, j))] = 1;
    const T g = guard();
    for (std::size_t k = 0; k < storage.size(); ++k) {
      if (!inside[k] && std::memcmp(&storage[k], &g, sizeof g) != 0) return false;
    }
    return true;
  }
};

// ---- measuring ---------------------------------------------------------------------------------

template <class T>
bool same_bits(T a, T b) {
  if (std::isnan(a) && std::isnan(b)) return true;  // NaN payloads are not part of the contract
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// The spacing of T at r (tests/ulp.hpp's definition: subnormal results in the subnormal spacing).
template <class T>
long double ulp_of(long double r) {
  using L = std::numeric_limits<T>;
  const long double a = std::fabs(r);
  if (!(a >= static_cast<long double>(L::min()))) return static_cast<long double>(L::denorm_min());
  return std::ldexp(1.0L, std::ilogb(a) - (L::digits - 1));
}

// |got − expected| in units of ulp(expected) (or of `floor`, when larger); 0 when both are the
// same NaN-ness or the same infinity, ∞ when only one is NaN or infinite (but a result of ±∞ is
// ±(max + ulp(max)) against a finite reference of its sign).
template <class T>
long double ulp_distance(T got, long double expected, long double floor = 0) {
  if (std::isnan(got) || std::isnan(expected)) return std::isnan(got) && std::isnan(expected) ? 0 : INFINITY;
  if (std::isinf(got) || std::isinf(expected)) {
    if (got == expected) return 0;
    // A result beyond T's range rounds to ±∞: exact enough if the reference is there too.
    const long double max = static_cast<long double>(std::numeric_limits<T>::max());
    if (std::isinf(got) && std::fabs(expected) > max && (got > 0) == (expected > 0)) return 0;
    // ∞ for a finite reference of the same sign: ∞ is what max + ulp(max) rounds to, so count it
    // as that step beyond max (a result a few ULP above a reference near max overflows).
    if (std::isinf(got) && !std::isinf(expected) && (got > 0) == (expected > 0)) {
      const long double beyond = max + ulp_of<T>(max);
      return std::fabs((got > 0 ? beyond : -beyond) - expected) / std::max(ulp_of<T>(expected), floor);
    }
    return INFINITY;
  }
  const long double unit = std::max(ulp_of<T>(expected), floor);
  return std::fabs(static_cast<long double>(got) - expected) / unit;
}

template <class T>
std::string show(T v) {
  char text[96];
  std::snprintf(text, sizeof text, "%.17Lg (%La)", static_cast<long double>(v), static_cast<long double>(v));
  return text;
}

// A finding: the context, then abort (libFuzzer saves the input as crash-…).
[[noreturn]] inline void fail(const std::string& context, const std::string& what) {
  std::fprintf(stderr, "\n==== activ fuzz finding ====\n%s\n%s\n============================\n", context.c_str(),
               what.c_str());
  std::fflush(stderr);
  std::abort();
}

template <class T>
constexpr const char* type_text() {
  return sizeof(T) == 4 ? "float" : "double";
}

}  // namespace fuzz
