# Builds and runs tests/consumer against activ three ways: installed + find_package, installed +
# pkg-config (when pkg-config is there), and add_subdirectory. Run by CTest:
#   cmake -DSOURCE=<activ source> -DWORK=<scratch dir> -DCXX=<compiler> [-DSTANDARD=17|20]
#         [-DTOOLCHAIN=<toolchain file> -DEMULATOR=<command list>] -P run.cmake
# The consumer is compiled with CXX in C++STANDARD (default 17), like the suite that runs it.
# Cross-compiling, every configuration uses TOOLCHAIN and every consumer binary runs through EMULATOR.
cmake_minimum_required(VERSION 3.16)

if(TOOLCHAIN)
  set(compiler -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN})
else()
  set(compiler -DCMAKE_CXX_COMPILER=${CXX})
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# The consumer prints __cplusplus: it must be the standard asked for.
function(check_standard)
  set(expected_17 201703)
  set(expected_20 202002)
  if(DEFINED expected_${STANDARD} AND NOT last_output MATCHES "C\\+\\+ ${expected_${STANDARD}}\\)")
    message(FATAL_ERROR "the consumer was not compiled as C++${STANDARD}: ${last_output}")
  endif()
endfunction()

if(NOT STANDARD)
  set(STANDARD 17)
endif()
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)

# 1. Install activ into a prefix, consume it with find_package.
run(${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK}/activ -DCMAKE_INSTALL_PREFIX=${prefix} ${compiler}
    -DACTIV_BUILD_TESTS=OFF -DACTIV_BUILD_BENCHMARKS=OFF)
run(${CMAKE_COMMAND} --install ${WORK}/activ)
run(${CMAKE_COMMAND} -S ${SOURCE}/tests/consumer -B ${WORK}/package -DCMAKE_PREFIX_PATH=${prefix}
    ${compiler} -DCMAKE_CXX_STANDARD=${STANDARD} -DACTIV_CONSUME=package -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK}/package)
run(${EMULATOR} ${WORK}/package/consumer)
check_standard()
message(STATUS "find_package: ${last_output}")

# 2. The same install through pkg-config.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} ${prefix}/share/pkgconfig)
  run(${PKG_CONFIG} --cflags activ)
  string(STRIP "${last_output}" cflags)
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  # activ.pc's Cflags ask for C++17 at least; the standard asked for here comes after, and wins.
  run(${CXX} ${cflags} -std=c++${STANDARD} -O2 ${SOURCE}/tests/consumer/main.cpp -o ${WORK}/pkg-config-consumer)
  run(${EMULATOR} ${WORK}/pkg-config-consumer)
  check_standard()
  message(STATUS "pkg-config: ${last_output}")
else()
  message(STATUS "pkg-config: not installed, skipped")
endif()

# 3. From source with add_subdirectory (which must build neither tests nor benchmarks).
run(${CMAKE_COMMAND} -S ${SOURCE}/tests/consumer -B ${WORK}/subdirectory -DACTIV_CONSUME=subdirectory
    -DACTIV_SOURCE_DIR=${SOURCE} ${compiler} -DCMAKE_CXX_STANDARD=${STANDARD} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK}/subdirectory)
run(${EMULATOR} ${WORK}/subdirectory/consumer)
check_standard()
message(STATUS "add_subdirectory: ${last_output}")
