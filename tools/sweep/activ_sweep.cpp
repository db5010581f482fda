// tools/sweep/activ_sweep.cpp — the accuracy sweep: every elementwise functor configuration of
// configs.hpp, forward and derivative, float and double, measured in ULP (tests/ulp.hpp) against
// the independent reference (tests/reference.hpp) on every input of a set, through activ's public
// calls: f(batch) and f.derivative(batch) of any xsimd arch this binary supports, and f(T).
//
//   --float-full   all 2^32 float bit patterns, against double (near the zeros of swish′ and
//                  hard-swish′: __float128; within 10^−6 of 0.5, 1 or 2 ULP: long double, and
//                  within 10^−9 by long double: __float128).
//   --double N     N random doubles (half uniform over the bit patterns, half uniform in [−50, 50];
//                  default 10^8), the special values and the neighbourhoods of every kink and
//                  threshold, against long double (within 0.05 of 0.5, 1 or 2 ULP: __float128).
//   --reduced      every 256th float bit pattern, the float and double special values and
//                  neighbourhoods, 10^6 random doubles. With --assert: exit status 1 if any bound
//                  is exceeded or the reference check fails. CTest runs it per test arch.
// Every mode also compares each reference level with __float128 on a sample of its inputs (the
// reference check), which is what makes the re-measurement windows safe. activ_sweep --help lists
// the options.
#include "configs.hpp"
#include "reference.hpp"
#include "ulp.hpp"

#include <activ/activ.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace sweep {
namespace {

// ---- real types ------------------------------------------------------------------------------
// A result is measured against the working reference of its type first (Main: double for float,
// long double for double), and re-measured one level up whenever the error lies within that
// level's window of 0.5, 1 or 2 units (Options::windows): float goes on to long double, then
// __float128 (Precise), double straight to __float128. A level's window is far wider than the
// level's own error (the reference check measures that), so every count is decided by a reference
// that is certainly on the right side of the bound, except exact ties at the last level.
template <class T>
using Main = std::conditional_t<std::is_same<T, float>::value, double, long double>;
using Middle = long double;
#if defined(ACTIV_TESTS_FLOAT128)
using Precise = real_math::quad;
constexpr const char* precise_name = "__float128";
#else
using Precise = long double;  // no quadmath: counts near 0.5, 1, 2 ULP are then not certified
constexpr const char* precise_name = "long double (no __float128 in this build)";
#endif
constexpr int main_level = 0, middle_level = 1, precise_level = 2;

template <class T>
using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
Bits<T> bits_of(T x) {
  Bits<T> b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
template <class T>
T from_bits(Bits<T> b) {
  T x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

template <class T>
constexpr const char* type_name() {
  return std::is_same<T, float>::value ? "float" : "double";
}

// ---- options ---------------------------------------------------------------------------------
struct Options {
  bool float_full = false;
  std::uint64_t float_stride = 0;  // --float-stride: every Kth float pattern (a quick estimate)
  bool reduced = false;
  bool double_sweep = false;
  std::uint64_t double_count = 100000000;
  std::vector<std::string> archs;  // empty: the best arch (unless --scalar alone)
  bool scalar = false;
  unsigned threads = 0;
  bool markdown = false;
  bool assert_bounds = false;
  std::string only;
  std::uint64_t seed = 20261122;
  int neighbourhood_steps = 2048;
  // Re-measure one level up when an error lies within this of 0.5, 1 or 2 units: float against
  // double (errors ≲ 10^−8 units) and long double (≲ 10^−11); double against long double (≲ 0.002).
  double float_windows[2] = {1e-6, 1e-9};
  double double_window = 0.05;
  std::uint64_t check_stride = std::numeric_limits<std::uint64_t>::max();  // max: the mode's default
};

// ---- paths -----------------------------------------------------------------------------------
// One way of calling a functor: y[i] = f(x[i]) (or f′) for n inputs.
template <class T>
using Kernel = std::function<void(const T* x, T* y, std::size_t n)>;

template <class T, class F>
Kernel<T> scalar_kernel(const F& f, Quantity q) {
  if (q == forward) {
    return [f](const T* x, T* y, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) y[i] = f(x[i]);
    };
  }
  return [f](const T* x, T* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = f.derivative(x[i]);
  };
}

#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
template <class A, class T, class F>
Kernel<T> batch_kernel(const F& f, Quantity q) {
  return [f, q](const T* x, T* y, std::size_t n) {
    using B = xsimd::batch<T, A>;
    constexpr std::size_t W = B::size;
    std::size_t i = 0;
    for (; i + W <= n; i += W) {
      const B v = B::load_unaligned(x + i);
      (q == forward ? f(v) : f.derivative(v)).store_unaligned(y + i);
    }
    if (i < n) {  // a zero-padded last batch
      alignas(A::alignment()) T buffer[W] = {};
      std::copy(x + i, x + n, buffer);
      const B v = B::load_aligned(buffer);
      (q == forward ? f(v) : f.derivative(v)).store_aligned(buffer);
      std::copy(buffer, buffer + (n - i), y + i);
    }
  };
}

template <class A>
bool runs_here() {
  const auto available = xsimd::available_architectures();
  if (std::string(A::name()) == "fma4") return available.fma4;  // not ordered by version
  return A::version() <= available.best;
}
#endif

// The arch names this binary supports (best first), and whether this CPU runs each.
std::vector<std::pair<std::string, bool>> supported_archs() {
  std::vector<std::pair<std::string, bool>> names;
#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
  xsimd::supported_architectures::for_each([&](auto arch) {
    using A = decltype(arch);
    names.emplace_back(A::name(), runs_here<A>());
  });
#endif
  return names;
}

std::string best_arch() {
#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
  return xsimd::default_arch::name();
#else
  return "";
#endif
}

// ---- configurations --------------------------------------------------------------------------
// A reference definition (reference.hpp) in R, called once per chunk: values[i] = f(x_i) or
// f′(x_i) and, for f′ where the definition has a crossing, terms[i] = Σ|terms of f′| at x_i. The
// inputs come as reference::Shared<R>, which keep the library values every configuration
// evaluated at the same input shares.
template <class R>
struct Reference {
  std::function<void(Quantity, reference::Shared<R>* inputs, std::size_t n, R* values, R* terms)> evaluate;
  bool has_crossing = false;
  std::vector<R> kinks;

  // One input: the value and the unit floor of ulp.hpp (0 where there is none).
  template <class T>
  void single(Quantity q, R x, R& value, R& floor) const {
    reference::Shared<R> input(x);
    R terms = 0;
    evaluate(q, &input, 1, &value, has_crossing ? &terms : nullptr);
    floor = terms > 0 ? ulp::crossing_unit<T>(terms) : R(0);
  }
};

template <class R, class D>
Reference<R> reference_of(const D& d) {
  Reference<R> r;
  r.evaluate = [d](Quantity q, reference::Shared<R>* in, std::size_t n, R* values, R* terms) {
    if (q == forward) {
      for (std::size_t i = 0; i < n; ++i) values[i] = d.f(in[i]);
    } else {
      for (std::size_t i = 0; i < n; ++i) values[i] = d.df(in[i]);
      if (terms) {
        for (std::size_t i = 0; i < n; ++i) terms[i] = d.df_terms(in[i]);
      }
    }
  };
  r.has_crossing = D::has_crossing;
  r.kinks = d.kinks();
  return r;
}

template <class T>
struct Config {
  std::string name;
  std::vector<std::array<Kernel<T>, quantity_count>> kernels;  // [path][quantity]
  Reference<Main<T>> main;
  Reference<Middle> middle;  // used for float only
  Reference<Precise> precise;
  std::function<bool(double)> crossing;
};

template <class T>
std::vector<Config<T>> make_configs(const std::vector<std::string>& paths, const std::string& only) {
  std::vector<Config<T>> configs;
  for_each_config<T>([&](const char* name, const auto& functor, const auto& make_reference, auto crossing) {
    if (!only.empty() && std::string(name).find(only) == std::string::npos) return;
    Config<T> c;
    c.name = name;
    for (const std::string& path : paths) {
      std::array<Kernel<T>, quantity_count> k;
      for (int q = 0; q < quantity_count; ++q) {
        if (path == "scalar") k[q] = scalar_kernel<T>(functor, Quantity(q));
#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
        xsimd::supported_architectures::for_each([&](auto arch) {
          using A = decltype(arch);
          if constexpr (xsimd::batch<T, A>::size > 0) {
            if (path == A::name()) k[q] = batch_kernel<A, T>(functor, Quantity(q));
          }
        });
#endif
      }
      c.kernels.push_back(k);
    }
    c.main = reference_of<Main<T>>(make_reference(Main<T>{}));
    c.middle = reference_of<Middle>(make_reference(Middle{}));
    c.precise = reference_of<Precise>(make_reference(Precise{}));
    c.crossing = crossing;
    configs.push_back(std::move(c));
  });
  return configs;
}

// ---- input sets ------------------------------------------------------------------------------
std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// One part of a sweep: count inputs, input i computed from i (so any thread can take any chunk).
template <class T>
struct Part {
  enum Kind { bit_patterns, random_values, listed } kind;
  std::string description;
  std::uint64_t count = 0;
  std::uint64_t stride = 1, offset = 0;  // bit_patterns: bits = offset + i·stride
  std::uint64_t seed = 0;                // random_values
  std::vector<T> values;                 // listed
  T at(std::uint64_t i) const {
    switch (kind) {
      case bit_patterns:
        return from_bits<T>(static_cast<Bits<T>>(offset + i * stride));
      case random_values: {
        const std::uint64_t h = splitmix64(seed + i * 0x9e3779b97f4a7c15ull);
        if (i % 2 == 0) return from_bits<T>(static_cast<Bits<T>>(h));                  // any bit pattern
        return static_cast<T>(static_cast<double>(h >> 11) * 0x1p-53 * 100.0 - 50.0);  // [−50, 50)
      }
      default:
        return values[i];
    }
  }
};

template <class T>
std::vector<T> special_values() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0),
                      L::infinity(),
                      L::quiet_NaN(),
                      L::denorm_min(),
                      T(2) * L::denorm_min(),
                      L::min() - L::denorm_min(),
                      L::min(),
                      L::max(),
                      std::nextafter(L::max(), T(0)),
                      L::epsilon(),
                      T(1),
                      std::nextafter(T(1), T(0)),
                      std::nextafter(T(1), T(2))};
  // NaNs with payloads: two signalling, one quiet
  const Bits<T> exponent_ones = bits_of(L::infinity());
  const Bits<T> quiet = Bits<T>(1) << (L::digits - 2);
  for (Bits<T> payload : {Bits<T>(1), Bits<T>(0x123), Bits<T>(quiet | 5)}) {
    v.push_back(from_bits<T>(exponent_ones | payload));
  }
  for (int e = L::min_exponent - L::digits; e < L::max_exponent; ++e) {  // every power of two
    const T p = std::ldexp(T(1), e);
    v.push_back(p);
    v.push_back(std::nextafter(p, T(0)));
    v.push_back(std::nextafter(p, L::infinity()));
  }
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

// Each center c (with −c) divided by β ∈ {1, 1.7}, and `steps` nextafter steps on each side.
template <class T>
std::vector<T> neighbourhoods(const std::vector<long double>& centers, int steps) {
  std::vector<T> v;
  for (long double c : centers) {
    for (long double beta : {1.0L, static_cast<long double>(T(1.7))}) {
      for (long double sign : {1.0L, -1.0L}) {
        const T x0 = static_cast<T>(sign * c / beta);
        T up = x0, down = x0;
        v.push_back(x0);
        for (int k = 0; k < steps; ++k) {
          up = std::nextafter(up, std::numeric_limits<T>::infinity());
          down = std::nextafter(down, -std::numeric_limits<T>::infinity());
          v.push_back(up);
          v.push_back(down);
        }
      }
    }
  }
  return v;
}

// The special values and every kink and threshold neighbourhood (of every configuration, whether
// measured or not, so that the input set does not depend on --only), without duplicates.
template <class T>
Part<T> special_part(int steps) {
  std::vector<long double> centers = thresholds();
  for_each_config<T>([&](const char*, const auto&, const auto& make_reference, auto) {
    for (long double k : make_reference(0.0L).kinks()) centers.push_back(k);
  });
  std::vector<T> v = special_values<T>();
  const std::vector<T> near = neighbourhoods<T>(centers, steps);
  v.insert(v.end(), near.begin(), near.end());
  std::vector<Bits<T>> bits(v.size());
  std::transform(v.begin(), v.end(), bits.begin(), [](T x) { return bits_of(x); });
  std::sort(bits.begin(), bits.end());
  bits.erase(std::unique(bits.begin(), bits.end()), bits.end());
  Part<T> p;
  p.kind = Part<T>::listed;
  p.values.resize(bits.size());
  std::transform(bits.begin(), bits.end(), p.values.begin(), [](Bits<T> b) { return from_bits<T>(b); });
  p.count = p.values.size();
  char text[160];
  std::snprintf(text, sizeof text, "%zu special values and kink/threshold neighbourhoods (±%d steps)", p.values.size(),
                steps);
  p.description = text;
  return p;
}

// ---- statistics ------------------------------------------------------------------------------
struct Stats {
  double max = -1;
  std::uint64_t max_index = 0;  // ties go to the lowest index: the result does not depend on threads
  double x = 0, got = 0;
  long double expected = 0;
  double sum = 0;  // of finite errors
  std::uint64_t count = 0, finite = 0, over_half = 0, over_one = 0, over_two = 0, infinite = 0;
  std::uint64_t exact_ties = 0;  // errors of exactly 0.5, 1 or 2 by the precise reference

  void merge(const Stats& o) {
    if (o.count == 0) return;
    if (o.max > max || (o.max == max && o.max_index < max_index)) {
      max = o.max;
      max_index = o.max_index;
      x = o.x;
      got = o.got;
      expected = o.expected;
    }
    sum += o.sum;
    count += o.count;
    finite += o.finite;
    over_half += o.over_half;
    over_one += o.over_one;
    over_two += o.over_two;
    infinite += o.infinite;
    exact_ties += o.exact_ties;
  }
};

// Inputs where a path's result differs in its bits from the first path's (any NaN equals any NaN).
struct Disagreement {
  std::uint64_t count = 0;
  std::uint64_t first_index = std::numeric_limits<std::uint64_t>::max();
  double x = 0, got = 0, first_path_got = 0;
  void add(std::uint64_t index, double at, double value, double other) {
    ++count;
    if (index < first_index) {
      first_index = index;
      x = at;
      got = value;
      first_path_got = other;
    }
  }
  void merge(const Disagreement& o) {
    count += o.count;
    if (o.first_index < first_index) {
      first_index = o.first_index;
      x = o.x;
      got = o.got;
      first_path_got = o.first_path_got;
    }
  }
};

// The largest difference between a level's reference and the precise one, in units of T's ULP
// (with the crossing floor), over a sample of the inputs.
struct ReferenceCheck {
  double max = 0;
  double x = 0;
  std::string where;
  void add(double d, double at, const std::string& what) {
    if (d > max) {
      max = d;
      x = at;
      where = what;
    }
  }
  void merge(const ReferenceCheck& o) {
    if (o.max > max) {
      max = o.max;
      x = o.x;
      where = o.where;
    }
  }
};

// Tally[path][config][quantity]
template <class X>
using Tally = std::vector<std::vector<std::array<X, quantity_count>>>;

template <class X>
Tally<X> make_tally(std::size_t paths, std::size_t configs) {
  return Tally<X>(paths, std::vector<std::array<X, quantity_count>>(configs));
}

template <class T>
struct Results {
  std::string title;
  std::vector<std::string> paths;
  std::vector<std::string> configs;
  Tally<Stats> stats;
  Tally<Disagreement> disagreements;
  ReferenceCheck check[2];  // main, middle (float) against precise
  std::uint64_t check_samples = 0;
  std::uint64_t refined[3] = {};  // measurements re-done at each level
  double windows[2] = {};         // of main, middle
  double seconds = 0;
  std::uint64_t inputs = 0;
};

// ---- the sweep -------------------------------------------------------------------------------
constexpr std::size_t chunk_size = 4096;  // a multiple of every batch width

// |a − b| for two reference values of the same quantity, in T's ULP of b (b the precise one).
template <class T, class R>
double reference_difference(R a, Precise b, Precise floor) {
  const Precise pa = static_cast<Precise>(a);
  if (real_math::isnan(pa) && real_math::isnan(b)) return 0;
  if (real_math::isnan(pa) || real_math::isnan(b)) return std::numeric_limits<double>::infinity();
  if (static_cast<T>(pa) == static_cast<T>(b) && std::isinf(static_cast<T>(b))) return 0;
  if (real_math::isinf(pa) || real_math::isinf(b)) return std::numeric_limits<double>::infinity();
  Precise u = ulp::unit<T>(b);
  if (u < floor) u = floor;
  return static_cast<double>(real_math::fabs(pa - b) / u);
}

// Calls fn(i) for every i < n with flags[i] != 0, eight flags at a time.
template <class F>
void for_each_flagged(const char* flags, std::size_t n, F&& fn) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, flags + i, sizeof word);
    if (word == 0) continue;
    for (std::size_t k = i; k < i + 8; ++k) {
      if (flags[k]) fn(k);
    }
  }
  for (; i < n; ++i) {
    if (flags[i]) fn(i);
  }
}

// near[i] = whether error[i] lies within `window` of 0.5, 1 or 2 and level[i] is `level`.
void flag_near(const double* __restrict error, const char* __restrict level, char current, double window,
               char* __restrict near, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double e = error[i];
    near[i] = (level[i] == current) &
              ((std::fabs(e - 0.5) <= window) | (std::fabs(e - 1) <= window) | (std::fabs(e - 2) <= window));
  }
}

template <class T>
class Sweeper {
 public:
  Sweeper(const std::vector<Config<T>>& configs, const std::vector<std::string>& paths, const double* windows,
          std::uint64_t check_stride)
      : configs_(configs), paths_(paths), check_stride_(check_stride) {
    windows_[0] = windows[0];
    windows_[1] = windows[1];
  }

  Results<T> run(const std::vector<Part<T>>& parts, unsigned threads, const std::string& title) {
    struct Chunk {
      std::size_t part;
      std::uint64_t begin, end, base;
    };
    std::vector<Chunk> chunks;
    std::uint64_t base = 0;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      for (std::uint64_t b = 0; b < parts[p].count; b += chunk_size) {
        chunks.push_back({p, b, std::min(parts[p].count, b + chunk_size), base + b});
      }
      base += parts[p].count;
    }
    Results<T> results;
    results.title = title;
    results.paths = paths_;
    for (const Config<T>& c : configs_) results.configs.push_back(c.name);
    results.stats = make_tally<Stats>(paths_.size(), configs_.size());
    results.disagreements = make_tally<Disagreement>(paths_.size(), configs_.size());
    results.inputs = base;
    results.windows[0] = windows_[0];
    results.windows[1] = windows_[1];

    std::atomic<std::size_t> next{0};
    std::atomic<std::uint64_t> done{0};
    std::mutex merge_mutex;
    const auto start = std::chrono::steady_clock::now();
    auto worker = [&] {
      Local local(paths_.size(), configs_.size());
      for (std::size_t k; (k = next.fetch_add(1)) < chunks.size();) {
        const Chunk& c = chunks[k];
        process(parts[c.part], c.begin, c.end, c.base, local);
        done.fetch_add(c.end - c.begin);
      }
      std::lock_guard<std::mutex> lock(merge_mutex);
      for (std::size_t p = 0; p < paths_.size(); ++p) {
        for (std::size_t f = 0; f < configs_.size(); ++f) {
          for (int q = 0; q < quantity_count; ++q) {
            results.stats[p][f][q].merge(local.stats[p][f][q]);
            results.disagreements[p][f][q].merge(local.disagreements[p][f][q]);
          }
        }
      }
      for (int k = 0; k < 2; ++k) results.check[k].merge(local.check[k]);
      results.check_samples += local.check_samples;
      for (int k = 0; k < 3; ++k) results.refined[k] += local.refined[k];
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    // Progress on stderr, once a minute.
    std::thread progress([&] {
      auto last = std::chrono::steady_clock::now();
      while (done.load() < base) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::seconds(60)) continue;
        last = now;
        const double elapsed = std::chrono::duration<double>(now - start).count();
        const double fraction = static_cast<double>(done.load()) / static_cast<double>(base);
        std::fprintf(stderr, "activ_sweep: %s: %.1f%% after %.0f s, about %.0f s to go\n", type_name<T>(),
                     100 * fraction, elapsed, fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0);
      }
    });
    for (std::thread& t : pool) t.join();
    progress.join();
    results.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return results;
  }

 private:
  using R = Main<T>;
  static constexpr bool has_middle = std::is_same<T, float>::value;

  struct Local {
    Local(std::size_t paths, std::size_t configs)
        : stats(make_tally<Stats>(paths, configs)), disagreements(make_tally<Disagreement>(paths, configs)) {}
    Tally<Stats> stats;
    Tally<Disagreement> disagreements;
    ReferenceCheck check[2];
    std::uint64_t check_samples = 0;
    std::uint64_t refined[3] = {};
    std::vector<T> x, y, first;
    std::vector<reference::Shared<R>> shared;
    std::vector<R> ref, floor, terms;
    // Where level[i] > main_level, the reference of that level (exactly, as Precise) and its floor.
    std::vector<char> level;
    std::vector<Precise> precise_ref, precise_floor;
    std::vector<double> error;
    std::vector<char> near;
  };

  void process(const Part<T>& part, std::uint64_t begin, std::uint64_t end, std::uint64_t base, Local& l) const {
    const std::size_t n = end - begin;
    for (auto* v : {&l.x, &l.y, &l.first}) v->resize(n);
    for (auto* v : {&l.ref, &l.floor, &l.terms}) v->resize(n);
    for (auto* v : {&l.precise_ref, &l.precise_floor}) v->resize(n);
    for (auto* v : {&l.level, &l.near}) v->resize(n);
    l.shared.resize(n);
    l.error.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      l.x[i] = part.at(begin + i);
      l.shared[i].reset(static_cast<R>(l.x[i]));
    }
    // The inputs of this chunk whose index is a multiple of the check stride.
    const std::size_t first_check =
        check_stride_ == 0 ? n : static_cast<std::size_t>((check_stride_ - base % check_stride_) % check_stride_);
    for (std::size_t i = first_check; i < n; i += check_stride_) ++l.check_samples;

    for (std::size_t f = 0; f < configs_.size(); ++f) {
      const Config<T>& c = configs_[f];
      for (int qi = 0; qi < quantity_count; ++qi) {
        const Quantity q = Quantity(qi);
        // The working reference, its crossing floor, and the precise one near a zero of f′.
        const bool floors = q == derivative && c.main.has_crossing;
        c.main.evaluate(q, l.shared.data(), n, l.ref.data(), floors ? l.terms.data() : nullptr);
        std::fill(l.floor.begin(), l.floor.end(), R(0));
        std::fill(l.level.begin(), l.level.end(), char(main_level));
        if (floors) {
          for (std::size_t i = 0; i < n; ++i) {
            if (l.terms[i] > 0) l.floor[i] = ulp::crossing_unit<T>(l.terms[i]);
            if (c.crossing(static_cast<double>(l.x[i]))) raise(c, q, i, precise_level, l);
          }
        }
        for (std::size_t i = first_check; i < n; i += check_stride_) check_reference(c, q, i, l);

        for (std::size_t p = 0; p < paths_.size(); ++p) {
          c.kernels[p][q](l.x.data(), l.y.data(), n);
          measure(c, q, l, n, floors);
          tally(l.stats[p][f][q], base, l);
          if (p == 0) {
            std::copy(l.y.begin(), l.y.end(), l.first.begin());
          } else {
            Disagreement& d = l.disagreements[p][f][q];
            for (std::size_t i = 0; i < n; ++i) {
              const bool same =
                  bits_of(l.y[i]) == bits_of(l.first[i]) || (std::isnan(l.y[i]) && std::isnan(l.first[i]));
              if (!same) {
                d.add(base + i, static_cast<double>(l.x[i]), static_cast<double>(l.y[i]),
                      static_cast<double>(l.first[i]));
              }
            }
          }
        }
      }
    }
  }

  // l.error[i] for every result of the chunk: against the working reference, or the level above
  // where there is one, and one level up (as often as needed) wherever an error is too close to
  // 0.5, 1 or 2 for the level it was measured at.
  void measure(const Config<T>& c, Quantity q, Local& l, std::size_t n, bool floors) const {
    if constexpr (std::is_same<T, float>::value && std::is_same<R, double>::value) {
      ulp::errors(l.y.data(), l.ref.data(), floors ? l.floor.data() : nullptr, l.error.data(), n);
    } else {
      for (std::size_t i = 0; i < n; ++i) l.error[i] = ulp::error<T>(l.y[i], l.ref[i], l.floor[i]);
    }
    static_assert(main_level == 0, "level[i] != 0: measured above the working reference");
    for_each_flagged(l.level.data(), n,
                     [&](std::size_t i) { l.error[i] = ulp::error<T>(l.y[i], l.precise_ref[i], l.precise_floor[i]); });
    for (char level = main_level; level < precise_level; ++level) {
      if (level == middle_level && !has_middle) continue;
      flag_near(l.error.data(), l.level.data(), level, windows_[static_cast<int>(level)], l.near.data(), n);
      const char next = level == main_level && has_middle ? middle_level : precise_level;
      for_each_flagged(l.near.data(), n, [&](std::size_t i) {
        raise(c, q, i, next, l);
        l.error[i] = ulp::error<T>(l.y[i], l.precise_ref[i], l.precise_floor[i]);
      });
    }
  }

  // The errors of one chunk into one Stats, in loops the compiler vectorizes: errors are ≥ 0 and
  // never NaN, so their bits order like their values; the sum runs in 8 lanes.
  static void tally(Stats& stats, std::uint64_t base, const Local& l) {
    const std::size_t n = l.x.size();
    constexpr double infinity = std::numeric_limits<double>::infinity();
    std::uint64_t over_half = 0, over_one = 0, over_two = 0, infinite = 0, ties = 0, worst_bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double e = l.error[i];
      over_half += e > 0.5;
      over_one += e > 1;
      over_two += e > 2;
      infinite += e == infinity;
      ties += (e == 0.5) | (e == 1) | (e == 2);
      std::uint64_t bits;
      std::memcpy(&bits, &e, sizeof bits);
      worst_bits = bits > worst_bits ? bits : worst_bits;
    }
    double lanes[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (std::size_t k = 0; k < 8; ++k) {
        const double e = l.error[i + k];
        lanes[k] += e == infinity ? 0.0 : e;
      }
    }
    for (; i < n; ++i) lanes[0] += l.error[i] == infinity ? 0.0 : l.error[i];
    double worst;
    std::memcpy(&worst, &worst_bits, sizeof worst);
    std::size_t worst_i = 0;
    while (worst_i < n && !(l.error[worst_i] == worst)) ++worst_i;
    Stats chunk;
    chunk.count = n;
    chunk.finite = n - infinite;
    chunk.over_half = over_half;
    chunk.over_one = over_one;
    chunk.over_two = over_two;
    chunk.infinite = infinite;
    chunk.exact_ties = ties;  // only the precise level can leave an error at exactly 0.5, 1 or 2
    chunk.sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    if (worst_i < n) {
      chunk.max = worst;
      chunk.max_index = base + worst_i;
      chunk.x = static_cast<double>(l.x[worst_i]);
      chunk.got = static_cast<double>(l.y[worst_i]);
      chunk.expected = l.level[worst_i] != main_level ? static_cast<long double>(l.precise_ref[worst_i])
                                                      : static_cast<long double>(l.ref[worst_i]);
    }
    stats.merge(chunk);
  }

  // Measures input i against the reference of `level` from now on.
  void raise(const Config<T>& c, Quantity q, std::size_t i, char level, Local& l) const {
    if (level == middle_level) {
      Middle value, floor;
      c.middle.template single<T>(q, static_cast<Middle>(l.x[i]), value, floor);
      l.precise_ref[i] = static_cast<Precise>(value);
      l.precise_floor[i] = static_cast<Precise>(floor);
    } else {
      c.precise.template single<T>(q, static_cast<Precise>(l.x[i]), l.precise_ref[i], l.precise_floor[i]);
    }
    l.level[i] = level;
    ++l.refined[static_cast<int>(level)];
  }

  void check_reference(const Config<T>& c, Quantity q, std::size_t i, Local& l) const {
    Precise precise_value, precise_floor;
    c.precise.template single<T>(q, static_cast<Precise>(l.x[i]), precise_value, precise_floor);
    const std::string what = c.name + " " + quantities[q].name;
    R value, floor;
    c.main.template single<T>(q, static_cast<R>(l.x[i]), value, floor);
    l.check[0].add(reference_difference<T>(value, precise_value, precise_floor), static_cast<double>(l.x[i]), what);
    if (has_middle) {
      Middle middle_value, middle_floor;
      c.middle.template single<T>(q, static_cast<Middle>(l.x[i]), middle_value, middle_floor);
      l.check[1].add(reference_difference<T>(middle_value, precise_value, precise_floor), static_cast<double>(l.x[i]),
                     what);
    }
  }

  const std::vector<Config<T>>& configs_;
  const std::vector<std::string>& paths_;
  double windows_[2];
  std::uint64_t check_stride_;
};

// ---- output ----------------------------------------------------------------------------------
template <class T>
std::string format_x(double x) {
  char text[96];
  std::snprintf(text, sizeof text, std::is_same<T, float>::value ? "%a (%.9g)" : "%a (%.17g)", x, x);
  return text;
}

std::string format_ulp(double e) {
  char text[32];
  if (std::isinf(e)) return "inf";
  if (e < 0) return "-";
  std::snprintf(text, sizeof text, e >= 1e6 ? "%.3g" : "%.3f", e);
  return text;
}

template <class T>
bool within_bounds(const Results<T>& r) {
  for (const auto& path : r.stats) {
    for (const auto& config : path) {
      for (int q = 0; q < quantity_count; ++q) {
        if (config[q].max > quantities[q].bound) return false;
      }
    }
  }
  return true;
}

// The paths to print for one configuration and quantity: the first path, named with every other
// path whose results are bit-identical to it (their statistics are then the same), and each path
// that differs, on its own.
template <class T>
std::vector<std::pair<std::size_t, std::string>> path_rows(const Results<T>& r, std::size_t f, int q) {
  std::vector<std::pair<std::size_t, std::string>> rows{{0, r.paths[0]}};
  std::size_t same = 0;
  for (std::size_t p = 1; p < r.paths.size(); ++p) {
    if (r.disagreements[p][f][q].count == 0) {
      ++same;
    } else {
      rows.emplace_back(p, r.paths[p]);
    }
  }
  if (same > 0) rows[0].second += " (= " + std::to_string(same) + " more)";
  return rows;
}

template <class T>
void print_text(const Results<T>& r) {
  std::printf("\n== %s, %s: %" PRIu64 " inputs, %zu path(s), %.1f s\n", type_name<T>(), r.title.c_str(), r.inputs,
              r.paths.size(), r.seconds);
  const int width = std::is_same<T, float>::value ? 36 : 48;
  std::printf("%-18s %-10s %-19s %10s  %-*s %8s %12s %10s %10s %8s %8s  %s\n", "function", "quantity", "path",
              "max ULP", width, "at x", "mean", "> 0.5", "> 1", "> 2", "inf", "ties", "bound");
  for (std::size_t f = 0; f < r.configs.size(); ++f) {
    for (int q = 0; q < quantity_count; ++q) {
      for (const auto& [p, path] : path_rows(r, f, q)) {
        const Stats& s = r.stats[p][f][q];
        std::printf("%-18s %-10s %-19s %10s  %-*s %8.4f %12" PRIu64 " %10" PRIu64 " %10" PRIu64 " %8" PRIu64
                    " %8" PRIu64 "  %g %s\n",
                    r.configs[f].c_str(), quantities[q].name, path.c_str(), format_ulp(s.max).c_str(), width,
                    format_x<T>(s.x).c_str(), s.finite ? s.sum / static_cast<double>(s.finite) : 0.0, s.over_half,
                    s.over_one, s.over_two, s.infinite, s.exact_ties, quantities[q].bound,
                    s.max <= quantities[q].bound ? "ok" : "EXCEEDED");
        if (s.max > quantities[q].bound) {
          std::printf("%-18s %-10s %-19s %10s  got %.17g, expected %.21Lg\n", "", "", "", "", s.got, s.expected);
        }
      }
    }
  }
  for (std::size_t p = 1; p < r.paths.size(); ++p) {
    for (std::size_t f = 0; f < r.configs.size(); ++f) {
      for (int q = 0; q < quantity_count; ++q) {
        const Disagreement& d = r.disagreements[p][f][q];
        if (d.count == 0) continue;
        std::printf("paths disagree: %s %s: %s differs from %s on %" PRIu64
                    " inputs, first at x = %s: %.17g vs %.17g\n",
                    r.configs[f].c_str(), quantities[q].name, r.paths[p].c_str(), r.paths[0].c_str(), d.count,
                    format_x<T>(d.x).c_str(), d.got, d.first_path_got);
      }
    }
  }
  const char* levels[2] = {std::is_same<T, float>::value ? "double" : "long double", "long double"};
  for (int k = 0; k < (std::is_same<T, float>::value ? 2 : 1); ++k) {
    if (r.check_samples == 0) break;
    std::printf("reference check: on %" PRIu64 " sampled inputs, the %s reference is within %.3g ULP of the %s one",
                r.check_samples, levels[k], r.check[k].max, precise_name);
    if (r.check[k].max > 0) {
      std::printf(" (largest: %s at x = %s)", r.check[k].where.c_str(), format_x<T>(r.check[k].x).c_str());
    }
    std::printf("; its re-measurement window: %g\n", r.windows[k]);
  }
  if (std::is_same<T, float>::value) {
    std::printf("re-measured: %" PRIu64 " results in long double (within %g of 0.5, 1 or 2 ULP by double), %" PRIu64
                " in %s (within %g by long double, or near a zero of f')\n",
                r.refined[middle_level], r.windows[0], r.refined[precise_level], precise_name, r.windows[1]);
  } else {
    std::printf("re-measured: %" PRIu64
                " results in %s (within %g of 0.5, 1 or 2 ULP by long double, or near a zero of f')\n",
                r.refined[precise_level], precise_name, r.windows[0]);
  }
}

// Whether every level's reference was within its window of the precise one on the samples: what
// makes the re-measurements decide every count.
template <class T>
bool references_agree(const Results<T>& r) {
  return r.check[0].max <= r.windows[0] && (!std::is_same<T, float>::value || r.check[1].max <= r.windows[1]);
}

template <class T>
void print_markdown_rows(const Results<T>& r) {
  for (std::size_t f = 0; f < r.configs.size(); ++f) {
    for (int q = 0; q < quantity_count; ++q) {
      for (const auto& [p, path] : path_rows(r, f, q)) {
        const Stats& s = r.stats[p][f][q];
        std::printf("| %s | %s | %s | %s | %s | %s | %.4f | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %s |\n",
                    r.configs[f].c_str(), type_name<T>(), quantities[q].name, path.c_str(), format_ulp(s.max).c_str(),
                    format_x<T>(s.x).c_str(), s.finite ? s.sum / static_cast<double>(s.finite) : 0.0, s.over_half,
                    s.over_one, s.over_two, s.max <= quantities[q].bound ? "yes" : "**no**");
      }
    }
  }
}

// ---- main ------------------------------------------------------------------------------------
void usage(FILE* out) {
  std::fprintf(out,
               "usage: activ_sweep [--float-full] [--double [N]] [--reduced] [options]\n"
               "  --float-full       every float bit pattern (2^32 inputs)\n"
               "  --double [N]       N random doubles (default 1e8) + special values + kink neighbourhoods\n"
               "  --reduced          every 256th float pattern + specials + neighbourhoods, 1e6 random doubles\n"
               "  --float-stride K   every Kth float pattern only (an estimate of --float-full)\n"
               "  --arch A[,B...]    xsimd archs to measure (names as listed by --list), or 'all';\n"
               "                     default: the best one, %s\n"
               "  --scalar           measure the scalar call f(T) too (alone: only it)\n"
               "  --only TEXT        only the configurations whose name contains TEXT\n"
               "  --threads N        worker threads (default: hardware concurrency)\n"
               "  --steps N          nextafter steps on each side of a kink or threshold (default 2048)\n"
               "  --check-stride N   compare the working reference with %s on every Nth input\n"
               "                     (default: 4096 full, 1024 double, 256 reduced; 0: off)\n"
               "  --seed S           seed of the random doubles (default 20261122)\n"
               "  --markdown         print the results as one Markdown table\n"
               "  --assert           exit status 1 if a bound is exceeded or the reference check fails\n"
               "  --list             list the configurations and the archs of this binary\n",
               best_arch().c_str(), precise_name);
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::uint64_t parse_count(const char* text) {
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(value >= 0) || value > 1e15) throw std::invalid_argument(text);
  return static_cast<std::uint64_t>(value);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--float-full") {
      o.float_full = true;
    } else if (a == "--float-stride") {
      o.float_stride = parse_count(value());
      if (o.float_stride == 0 || o.float_stride > (std::uint64_t(1) << 32))
        throw std::invalid_argument("--float-stride K: 1 ≤ K ≤ 2^32");
    } else if (a == "--double") {
      o.double_sweep = true;
      if (i + 1 < argc && argv[i + 1][0] != '-') o.double_count = parse_count(argv[++i]);
    } else if (a == "--reduced") {
      o.reduced = true;
    } else if (a == "--arch") {
      const std::vector<std::string> names = split(value());
      o.archs.insert(o.archs.end(), names.begin(), names.end());
    } else if (a == "--scalar") {
      o.scalar = true;
    } else if (a == "--only") {
      o.only = value();
    } else if (a == "--threads") {
      o.threads = static_cast<unsigned>(parse_count(value()));
    } else if (a == "--steps") {
      o.neighbourhood_steps = static_cast<int>(parse_count(value()));
    } else if (a == "--check-stride") {
      o.check_stride = parse_count(value());
    } else if (a == "--seed") {
      o.seed = parse_count(value());
    } else if (a == "--markdown") {
      o.markdown = true;
    } else if (a == "--assert") {
      o.assert_bounds = true;
    } else if (a == "--list") {
      std::printf("configurations:");
      for_each_config<float>([](const char* name, const auto&, const auto&, auto) { std::printf(" %s", name); });
      std::printf("\narchs of this binary (best first):");
      for (const auto& arch : supported_archs()) {
        std::printf(" %s%s", arch.first.c_str(), arch.second ? "" : " (not on this CPU)");
      }
      std::printf("\n");
      std::exit(0);
    } else if (a == "--help" || a == "-h") {
      usage(stdout);
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown option " + a);
    }
  }
  if (!o.float_full && !o.float_stride && !o.double_sweep && !o.reduced) {
    throw std::invalid_argument("choose --float-full, --double or --reduced");
  }
  return o;
}

std::vector<std::string> choose_paths(const Options& o) {
  const auto supported = supported_archs();
  std::vector<std::string> paths;
  std::vector<std::string> wanted = o.archs;
  if (wanted.empty() && !o.scalar) wanted.push_back(best_arch());
  for (const std::string& name : wanted) {
    if (name == "all") {
      for (const auto& arch : supported) {
        if (arch.second) paths.push_back(arch.first);
      }
      continue;
    }
    auto it = std::find_if(supported.begin(), supported.end(), [&](const auto& a) { return a.first == name; });
    if (it == supported.end())
      throw std::invalid_argument("this binary does not support arch " + name + " (see --list)");
    if (!it->second) throw std::invalid_argument("this CPU cannot run arch " + name);
    paths.push_back(name);
  }
  if (o.scalar) paths.push_back("scalar");
  if (paths.empty()) throw std::invalid_argument("no path to measure");
  return paths;
}

// The paths that have batches of T: on AArch64 xsimd 8.1 lists the 32-bit ARM arch neon as well as
// neon64, and neon has no double batches (batch<double, neon> is declared, over an empty
// invalid_register: size 0, no kernels).
template <class T>
std::vector<std::string> paths_for(const std::vector<std::string>& paths) {
  std::vector<std::string> usable;
  for (const std::string& path : paths) {
    bool has_batches = path == "scalar";
#if !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
    xsimd::supported_architectures::for_each([&](auto arch) {
      using A = decltype(arch);
      if (path == A::name()) has_batches = xsimd::batch<T, A>::size > 0;
    });
#endif
    if (has_batches) usable.push_back(path);
  }
  if (usable.empty()) throw std::invalid_argument("no chosen path has batches of " + std::string(type_name<T>()));
  return usable;
}

template <class T>
Results<T> run_sweep(const Options& o, const std::vector<std::string>& requested_paths, std::vector<Part<T>> parts,
                     std::uint64_t check_stride, bool with_special_values, const std::string& title) {
  const std::vector<std::string> paths = paths_for<T>(requested_paths);
  const std::vector<Config<T>> configs = make_configs<T>(paths, o.only);
  if (configs.empty()) throw std::invalid_argument("--only " + o.only + " matches no configuration");
  if (with_special_values) parts.push_back(special_part<T>(o.neighbourhood_steps));
  std::string description = title;
  for (const Part<T>& p : parts) description += (description.empty() ? "" : "; ") + p.description;
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const double double_windows[2] = {o.double_window, o.double_window};
  Sweeper<T> sweeper(configs, paths, std::is_same<T, float>::value ? o.float_windows : double_windows,
                     o.check_stride != std::numeric_limits<std::uint64_t>::max() ? o.check_stride : check_stride);
  return sweeper.run(parts, threads, description);
}

int main_(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::vector<std::string> paths = choose_paths(o);
  const auto start = std::chrono::steady_clock::now();
  std::vector<Results<float>> float_results;
  std::vector<Results<double>> double_results;

  if (o.float_full || o.float_stride || o.reduced) {
    Part<float> bits;
    bits.kind = Part<float>::bit_patterns;
    bits.stride = o.float_full ? 1 : o.float_stride ? o.float_stride : 256;
    // From a prime offset: every sign and exponent, and all mantissas' leading bits, NaNs included.
    bits.offset = bits.stride == 1 ? 0 : 131 % bits.stride;
    bits.count = ((std::uint64_t(1) << 32) - bits.offset + bits.stride - 1) / bits.stride;
    char text[96];
    if (bits.stride == 1) {
      std::snprintf(text, sizeof text, "every float bit pattern");
    } else {
      std::snprintf(text, sizeof text, "every %" PRIu64 "th float bit pattern from %" PRIu64, bits.stride, bits.offset);
    }
    bits.description = text;
    float_results.push_back(run_sweep<float>(o, paths, {bits}, bits.stride == 1 ? 4096 : 256, o.reduced, ""));
  }
  if (o.double_sweep || o.reduced) {
    Part<double> random;
    random.kind = Part<double>::random_values;
    random.count = o.double_sweep ? o.double_count : 1000000;
    random.seed = o.seed;
    char text[128];
    std::snprintf(text, sizeof text, "%" PRIu64 " random doubles (half any bit pattern, half in [-50, 50])",
                  random.count);
    random.description = text;
    double_results.push_back(run_sweep<double>(o, paths, {random}, o.double_sweep ? 1024 : 256, true, ""));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  bool ok = true;
  for (const auto& r : float_results) ok = ok && within_bounds(r) && references_agree(r);
  for (const auto& r : double_results) ok = ok && within_bounds(r) && references_agree(r);

  if (o.markdown) {
    std::printf(
        "| function | type | quantity | path | max ULP | at x | mean ULP | > 0.5 | > 1 | > 2 | within bound |\n");
    std::printf("|---|---|---|---|---:|---|---:|---:|---:|---:|---|\n");
    for (const auto& r : float_results) print_markdown_rows(r);
    for (const auto& r : double_results) print_markdown_rows(r);
    std::printf("\n");
    auto footer = [](const auto& r, const char* type) {
      std::uint64_t ties = 0;
      for (const auto& path : r.stats) {
        for (const auto& config : path) {
          for (const Stats& s : config) ties += s.exact_ties;
        }
      }
      std::printf("- %s: %s; %.1f s. %" PRIu64
                  " results at exactly 0.5, 1 or 2 units by the %s reference (ties, counted as not above)\n",
                  type, r.title.c_str(), r.seconds, ties, precise_name);
    };
    for (const auto& r : float_results) footer(r, "float");
    for (const auto& r : double_results) footer(r, "double");
  } else {
    for (const auto& r : float_results) print_text(r);
    for (const auto& r : double_results) print_text(r);
  }
  std::printf("\nwall time: %.1f s on %u threads; bounds (forward %g, derivative %g ULP): %s\n", seconds,
              o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency()), quantities[forward].bound,
              quantities[derivative].bound, ok ? "all met" : "EXCEEDED somewhere (or reference check failed)");
  return o.assert_bounds && !ok ? 1 : 0;
}

}  // namespace
}  // namespace sweep

int main(int argc, char** argv) {
  try {
    return sweep::main_(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "activ_sweep: %s\n", e.what());
    sweep::usage(stderr);
    return 2;
  }
}
