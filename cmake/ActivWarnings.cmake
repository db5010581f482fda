# Warning flags, target-architecture flags and the test matrix's build variants (sanitizers, the
# scalar fallback) for activ's own targets (tests, examples, the sweep, benchmarks). Nothing here
# reaches a project that consumes activ.

# Sanitizers for activ's own targets, compiled and linked in: a list such as "address;undefined"
# (tools/test.sh's asan part). Every finding ends the test (-fno-sanitize-recover=all).
set(ACTIV_SANITIZE "" CACHE STRING "Sanitizers for activ's own targets, e.g. \"address;undefined\"")
# The scalar fallback: ACTIV_NO_SIMD defined for the tests, the examples and the sweep (tools/test.sh's
# scalar part), so that every Eigen entry point runs the scalar code.
option(ACTIV_TEST_NO_SIMD "Build activ's tests, examples and sweep with ACTIV_NO_SIMD (the scalar fallback)" OFF)
if(ACTIV_SANITIZE AND NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(FATAL_ERROR "ACTIV_SANITIZE needs GCC or Clang")
endif()

# activ_variant(target): the build variant the cache asks for (ACTIV_SANITIZE, ACTIV_TEST_NO_SIMD).
function(activ_variant target)
  if(ACTIV_SANITIZE)
    list(JOIN ACTIV_SANITIZE "," sanitizers)
    target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
  endif()
  if(ACTIV_TEST_NO_SIMD)
    target_compile_definitions(${target} PRIVATE ACTIV_NO_SIMD)
  endif()
endfunction()

# activ_warnings(target [ARCH march]): -Wall -Wextra -Wpedantic (and -Werror with ACTIV_WERROR), and
# the build variant (activ_variant): every own target calls it.
function(activ_warnings target)
  cmake_parse_arguments(arg "" "ARCH" "" ${ARGN})
  activ_variant(${target})
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<BOOL:${ACTIV_WERROR}>:-Werror>)
    # GCC ≤ 12.2 reports '__Y' used uninitialized inside its own avx512fintrin.h when xsimd's AVX-512
    # kernels are inlined: a known false positive (fixed in GCC 12.3). Only the builds that enable
    # AVX-512 see it.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 12.3
       AND arg_ARCH MATCHES "native|avx512|znver4|sapphirerapids|icelake")
      target_compile_options(${target} PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
    endif()
    # On ARM GCC notes (-Wpsabi) that passing a struct with empty bases by value changed ABI in GCC
    # 10.1: a note about calls between objects built by GCC < 10.1 and later, which an inline,
    # header-only library never makes; hundreds of lines that would hide real diagnostics.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm")
      target_compile_options(${target} PRIVATE -Wno-psabi)
    endif()
  endif()
endfunction()

# The -march values this host can run: x86-64 (SSE2), haswell (AVX2 + FMA) where the CPU has them,
# and native. Elsewhere (ARM, …) only the compiler's default and native. Cross-compiling, only the
# compiler's default: "native" would describe the build machine (or be refused by the cross
# compiler), and nothing can be run to probe the target. For aarch64 the default is armv8-a, whose
# Advanced SIMD is xsimd's neon64.
function(activ_default_archs out)
  include(CheckCXXSourceRuns)
  if(CMAKE_CROSSCOMPILING)
    set(archs default)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
    set(archs x86-64)
    set(CMAKE_REQUIRED_QUIET ON)
    check_cxx_source_runs("
      int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\") ? 0 : 1; }"
      ACTIV_HOST_HAS_AVX2_FMA)
    check_cxx_source_runs("
      int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"avx512f\") ? 0 : 1; }"
      ACTIV_HOST_HAS_AVX512F)
    # haswell (AVX2 + FMA) where native is a wider arch; on an AVX2 host native is that arch already.
    if(ACTIV_HOST_HAS_AVX2_FMA AND ACTIV_HOST_HAS_AVX512F)
      list(APPEND archs haswell)
    endif()
    list(APPEND archs native)
  else()
    set(archs default native)
  endif()
  set(${out} "${archs}" PARENT_SCOPE)
endfunction()

# activ_arch_flags(target march): "default" adds nothing.
function(activ_arch_flags target march)
  if(NOT march STREQUAL "default")
    target_compile_options(${target} PRIVATE -march=${march})
  endif()
endfunction()
