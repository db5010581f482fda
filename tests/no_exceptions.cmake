# tests/no_exceptions.cmake — without exceptions, invalid input stops the program with the message
# the exception would carry. For each case N of tests/no_exceptions.cpp: WITH (built with
# exceptions) prints "activ: <message>" on stdout; WITHOUT (built with -fno-exceptions) must exit
# abnormally (abort) with exactly that line on stderr and nothing on stdout.
#   cmake -DWITH=<activ_with_exceptions> -DWITHOUT=<activ_no_exceptions> [-DEMULATOR=<command list>]
#         -P no_exceptions.cmake      (EMULATOR: cross-compiled binaries run through it, e.g. qemu)
set(cases 0)
foreach(n RANGE 0 99)
  execute_process(COMMAND ${EMULATOR} ${WITH} ${n} RESULT_VARIABLE with_result OUTPUT_VARIABLE expected ERROR_VARIABLE with_err)
  if(with_result EQUAL 3)
    break()
  endif()
  if(NOT with_result EQUAL 0 OR NOT expected MATCHES "^activ: ")
    message(FATAL_ERROR "case ${n}: the build with exceptions gave ${with_result}: ${expected}${with_err}")
  endif()
  execute_process(COMMAND ${EMULATOR} ${WITHOUT} ${n} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  # qemu-user reports the abort on stderr itself ("qemu: uncaught target signal 6 ..."): not ours.
  if(EMULATOR)
    string(REGEX REPLACE "qemu: uncaught target signal[^\n]*\n?" "" err "${err}")
  endif()
  if(result EQUAL 0)
    message(FATAL_ERROR "case ${n}: the build without exceptions exited normally; expected abort with\n${expected}")
  endif()
  if(NOT err STREQUAL expected OR NOT out STREQUAL "")
    message(FATAL_ERROR "case ${n}: the build without exceptions (exit: ${result}) wrote\n"
                        "stderr: ${err}stdout: ${out}\nexpected on stderr: ${expected}")
  endif()
  string(STRIP "${err}" shown)
  message(STATUS "case ${n} (${result}): ${shown}")
  math(EXPR cases "${cases} + 1")
endforeach()
if(cases LESS 10)
  message(FATAL_ERROR "only ${cases} cases ran")
endif()
