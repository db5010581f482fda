// tests/test_huge.cpp — arrays of more than 2^31 elements (opt-in: CMake option ACTIV_TEST_HUGE,
// see docs/testing.md). Every element count, offset and stride in the library is an Eigen::Index
// (64 bits); these tests would catch a 32-bit int, unsigned or long (Windows) somewhere on the way,
// by checking every element, in particular those at indices ≥ 2^31, against values computed here.
//
// n = 2^31 + 17 floats (8.6 GB) are mapped once per test case (the RReLU case maps two such
// arrays: 17.2 GB). ACTIV_HUGE_N overrides n, for a quick run of the same code on a small array.
// Element i holds v(i) = k(i)/256 − 8, k(i) a 12-bit hash of i, so that every element's expected
// value depends on its index and a misplaced read or write shows.
#include <activ/activ.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

namespace {

using Index = Eigen::Index;
constexpr Index two31 = Index(1) << 31;

Index huge_n() {
  if (const char* s = std::getenv("ACTIV_HUGE_N")) return static_cast<Index>(std::strtoll(s, nullptr, 10));
  return two31 + 17;
}

// Anonymous memory for `n` floats, pages committed on first touch.
struct Mapping {
  float* data = nullptr;
  std::size_t bytes = 0;
  explicit Mapping(Index n) : bytes(static_cast<std::size_t>(n) * sizeof(float)) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) FAIL("mmap of " << bytes << " bytes failed");
    data = static_cast<float*>(p);
  }
  ~Mapping() {
    if (data) munmap(data, bytes);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
};

inline unsigned key_of(Index i) {
  return static_cast<unsigned>((static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) >> 52);  // 12 bits
}
inline float value_of_key(unsigned k) { return static_cast<float>(static_cast<int>(k) - 2048) / 256.0f; }
inline float value_of(Index i) { return value_of_key(key_of(i)); }

void fill(float* x, Index n) {
  for (Index i = 0; i < n; ++i) x[i] = value_of(i);
}

// |got − want| in units of the float spacing at want.
double ulps(float got, long double want) {
  const float w = static_cast<float>(want);
  const double spacing = static_cast<double>(std::nextafter(std::fabs(w), std::numeric_limits<float>::infinity())) -
                         static_cast<double>(std::fabs(w));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want)) / spacing;
}

// Checks every element: expected(i) gives the value element i must hold. Reports the count of
// mismatches, the first one, and how many of them lie at indices ≥ 2^31.
template <class Expected>
void check_all(const float* y, Index n, const Expected& expected) {
  Index bad = 0, bad_high = 0, first = -1;
  for (Index i = 0; i < n; ++i) {
    const float want = expected(i);
    if (!(y[i] == want)) {
      if (first < 0) first = i;
      ++bad;
      bad_high += i >= two31;
    }
  }
  INFO("first mismatch at " << first
                            << (first >= 0 ? (": got " + std::to_string(y[first]) + ", want " +
                                              std::to_string(expected(first)))
                                           : std::string()));
  CHECK(bad == 0);
  CHECK(bad_high == 0);
}

struct Timer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

// A table of f over the 4096 input values, from the scalar call, each checked against a long double
// reference within `bound` ULP.
template <class F, class Ref>
std::array<float, 4096> table(const F& f, const Ref& ref, double bound) {
  std::array<float, 4096> t{};
  double worst = 0;
  for (unsigned k = 0; k < 4096; ++k) {
    const float v = value_of_key(k);
    t[k] = f(v);
    worst = std::max(worst, ulps(t[k], ref(static_cast<long double>(v))));
  }
  CHECK(worst <= bound);
  return t;
}

}  // namespace

TEST_CASE("elementwise forward in place on 2^31 + 17 elements: contiguous, strided, 2-D block", "[.huge]") {
  const Index n = huge_n();
  REQUIRE(n > 10);
  Mapping memory(n);
  float* x = memory.data;

  {  // one contiguous run
    const activ::ELU<float> elu;
    const auto expected = table(
        elu, [](long double v) { return v > 0 ? v : std::expm1(v); }, 1);
    fill(x, n);
    Eigen::Map<Eigen::ArrayXf> a(x, n);
    Timer t;
    elu.forward(a, a);
    std::printf("huge: ELU forward, %lld contiguous floats in place: %.2f s\n", static_cast<long long>(n), t.seconds());
    check_all(x, n, [&](Index i) { return expected[key_of(i)]; });
  }
  {  // every second element: the buffered (gathered) walk, addresses 2·i past 2^31
    const activ::Tanh<float> tanh_f;
    const auto expected = table(
        tanh_f, [](long double v) { return std::tanh(v); }, 1);
    fill(x, n);
    const Index m = (n + 1) / 2;
    Eigen::Map<Eigen::ArrayXf, 0, Eigen::InnerStride<2>> a(x, m);
    Timer t;
    tanh_f.forward(a, a);
    std::printf("huge: tanh forward, %lld floats at stride 2 in place: %.2f s\n", static_cast<long long>(m),
                t.seconds());
    check_all(x, n, [&](Index i) { return i % 2 == 0 ? expected[key_of(i)] : value_of(i); });
  }
  {  // rows 1..3 of a 5 × (n/5) column-major array: one run per column, column offsets past 2^31
    const activ::Sigmoid<float> sigmoid;
    const auto expected = table(
        sigmoid, [](long double v) { return 1 / (1 + std::exp(-v)); }, 1);
    fill(x, n);
    const Index cols = n / 5;
    Eigen::Map<Eigen::ArrayXXf> a(x, 5, cols);
    Timer t;
    sigmoid.forward(a.middleRows(1, 3), a.middleRows(1, 3));
    std::printf("huge: sigmoid forward, 3 x %lld block of a 5-row array in place: %.2f s\n",
                static_cast<long long>(cols), t.seconds());
    check_all(x, n, [&](Index i) {
      const Index r = i % 5;
      return (i < 5 * cols && r >= 1 && r <= 3) ? expected[key_of(i)] : value_of(i);
    });
  }
}

namespace {

// The RReLU training noise at `index` as docs/functions.md specifies it, written here from that
// description: SplitMix64 of the seed gives the key words k0, k1; h = mix(mix(lo + k0) ^ (hi + k1))
// with the lowbias32 finalizer; u = (h >> 9)·2^−23; the slope is lower + (upper − lower)·u.
std::uint32_t lowbias32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

long double rrelu_slope(std::uint64_t seed, std::uint64_t index, float lower, float upper) {
  auto splitmix = [](std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::uint64_t state = seed;
  const std::uint64_t a = splitmix(state);
  const std::uint32_t k0 = static_cast<std::uint32_t>(a), k1 = static_cast<std::uint32_t>(a >> 32);
  const std::uint32_t lo = static_cast<std::uint32_t>(index), hi = static_cast<std::uint32_t>(index >> 32);
  const std::uint32_t h = lowbias32(lowbias32(lo + k0) ^ (hi + k1));
  const long double u = std::ldexp(static_cast<long double>(h >> 9), -23);
  return static_cast<long double>(lower) + static_cast<long double>(upper - lower) * u;
}

}  // namespace

// Available memory in bytes (MemAvailable of /proc/meminfo; 0 where unknown).
std::size_t available_bytes() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (!f) return 0;
  char line[256];
  unsigned long long kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "MemAvailable: %llu kB", &kb) == 1) break;
  }
  std::fclose(f);
  return static_cast<std::size_t>(kb) * 1024;
}

TEST_CASE("RReLU forward_train in place on 2^31 + 17 elements: the noise at every index", "[.huge]") {
  const Index n = huge_n();
  // y in place over x and noise in a second array: 2n floats. With less memory than that (plus
  // 1 GiB) available, noise is written over x as well (the slopes are then checked, y is not).
  const std::size_t bytes = static_cast<std::size_t>(n) * sizeof(float);
  const bool separate_noise =
      std::getenv("ACTIV_HUGE_NOISE_IN_PLACE") == nullptr && available_bytes() >= 2 * bytes + (std::size_t(1) << 30);
  Mapping x_memory(n), noise_memory(separate_noise ? n : 1);
  float* x = x_memory.data;
  float* noise = separate_noise ? noise_memory.data : x;
  fill(x, n);
  const float lower = 0.125f, upper = 1.0f / 3.0f;
  const activ::RReLU<float> r{lower, upper};
  const std::uint64_t seed = 20260507;
  Eigen::Map<Eigen::ArrayXf> a(x, n), s(noise, n);
  Timer t;
  r.forward_train(a, a, s, seed);
  std::printf("huge: RReLU forward_train, %lld floats in place, noise %s: %.2f s\n", static_cast<long long>(n),
              separate_noise ? "in a second array" : "over y (y unchecked)", t.seconds());

  // Every element: y = x where x > 0 (noise 1), else y = x·noise with noise in [lower, upper].
  Index bad = 0, first = -1;
  for (Index i = 0; i < n; ++i) {
    const float v = value_of(i);
    const bool y_ok = !separate_noise || x[i] == (v > 0 ? v : v * noise[i]);
    const bool ok = y_ok && (v > 0 ? noise[i] == 1.0f : (noise[i] >= lower && noise[i] <= upper));
    if (!ok && first < 0) first = i;
    bad += !ok;
  }
  INFO("first bad element " << first);
  CHECK(bad == 0);

  // The slope against the formula, within 1 ULP (the library rounds lower + d·u once): the first
  // 4096 elements, the last 4096 below 2^31 and all from there to the end, every 4099th element.
  Index checked = 0, wrong = 0, first_wrong = -1;
  auto slope_ok = [&](Index i) {
    return ulps(noise[i], rrelu_slope(seed, static_cast<std::uint64_t>(i), lower, upper)) <= 1;
  };
  auto check_slope = [&](Index i) {
    if (value_of(i) > 0) return;
    ++checked;
    if (!slope_ok(i)) {
      if (first_wrong < 0) first_wrong = i;
      ++wrong;
    }
  };
  for (Index i = 0; i < std::min<Index>(4096, n); ++i) check_slope(i);
  for (Index i = std::max<Index>(0, std::min(two31, n) - 4096); i < n; ++i) check_slope(i);
  for (Index i = 0; i < n; i += 4099) check_slope(i);
  INFO("first slope off the formula at " << first_wrong << " of " << checked << " checked");
  CHECK(wrong == 0);
  // Each element past 2^31 whose input is ≤ 0 (8 of the 17), on its own.
  Index past = 0, past_ok = 0;
  for (Index i = two31; i < n; ++i) {
    if (value_of(i) > 0) continue;
    ++past;
    past_ok += slope_ok(i);
  }
  CHECK(past_ok == past);
  CHECK((n <= two31 || past > 0));
}

TEST_CASE("softmax of one row of 2^31 + 17 elements, in place", "[.huge]") {
  const Index n = huge_n();
  Mapping memory(n);
  float* x = memory.data;
  fill(x, n);
  // The exact normalizer from the count of each input value.
  std::array<Index, 4096> count{};
  for (Index i = 0; i < n; ++i) ++count[key_of(i)];
  unsigned top = 0;
  for (unsigned k = 0; k < 4096; ++k) top = count[k] ? k : top;
  const long double m = value_of_key(top);
  long double sum = 0;
  for (unsigned k = 0; k < 4096; ++k) sum += static_cast<long double>(count[k]) * std::exp(value_of_key(k) - m);

  const activ::Softmax<float> softmax;
  Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>> a(x, n);
  Timer t;
  softmax.forward(a, a);
  std::printf("huge: softmax forward, one row of %lld floats in place: %.2f s\n", static_cast<long long>(n),
              t.seconds());

  // Within the documented 2 ULP of the exact value, every element.
  std::array<long double, 4096> want{};
  for (unsigned k = 0; k < 4096; ++k) want[k] = std::exp(value_of_key(k) - m) / sum;
  double worst = 0, worst_high = 0;
  for (Index i = 0; i < n; ++i) {
    const double e = ulps(x[i], want[key_of(i)]);
    worst = std::max(worst, e);
    if (i >= two31) worst_high = std::max(worst_high, e);
  }
  std::printf("huge: softmax worst error %.3f ULP (%.3f ULP at indices >= 2^31)\n", worst, worst_high);
  CHECK(worst <= 2);
}
