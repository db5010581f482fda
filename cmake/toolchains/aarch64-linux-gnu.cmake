# Cross-compiling activ's tests and examples for AArch64 (NEON: xsimd's neon64 arch) on a Debian
# x86-64 host with g++-aarch64-linux-gnu, and running them under qemu-user:
#   cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
# tools/test-aarch64.sh does this and runs CTest. CTest runs every test binary through
# CMAKE_CROSSCOMPILING_EMULATOR, and so does Catch2's catch_discover_tests when it lists the tests.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(ACTIV_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${ACTIV_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${ACTIV_CROSS_TRIPLE}-g++)

# Debian's cross toolchain keeps the target's libc and libstdc++ in /usr/aarch64-linux-gnu.
set(ACTIV_CROSS_ROOT /usr/${ACTIV_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH ${ACTIV_CROSS_ROOT})

# qemu-user (Debian package qemu-user or qemu-user-static); -L: where the target's dynamic loader
# and shared libraries are.
find_program(ACTIV_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(NOT ACTIV_QEMU_AARCH64)
  message(FATAL_ERROR "qemu-aarch64 not found (Debian: apt-get install qemu-user)")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${ACTIV_QEMU_AARCH64} -L ${ACTIV_CROSS_ROOT})

# Programs (cmake, pkg-config, …) are the host's; libraries only the target's. Eigen, xsimd and
# Catch2 are header-only and installed once for every architecture under /usr (the cross compiler
# searches /usr/include last, after the target's own headers), so packages and headers are looked
# up both in the target root and on the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Debian installs xsimd's package configuration in the host's multiarch directory
# (/usr/lib/x86_64-linux-gnu/cmake/xsimd), where a search for an aarch64 target does not look.
# It describes only include directories, valid for any target.
if(NOT DEFINED xsimd_DIR)
  file(GLOB activ_xsimd_configs /usr/lib/*/cmake/xsimd/xsimdConfig.cmake /usr/lib/cmake/xsimd/xsimdConfig.cmake
       /usr/share/cmake/xsimd/xsimdConfig.cmake)
  if(activ_xsimd_configs)
    list(GET activ_xsimd_configs 0 activ_xsimd_config)
    get_filename_component(activ_xsimd_dir ${activ_xsimd_config} DIRECTORY)
    set(xsimd_DIR ${activ_xsimd_dir} CACHE PATH "xsimd's package configuration (header-only, host copy)")
  endif()
endif()
