// bench/registry.hpp — one function per benchmark file that adds its cases to bench::cases()
// (common.hpp); bench_main.cpp calls them and registers the cases in run order. The peer files are
// compiled only when CMake found the peer (ACTIV_BENCH_WITH_*).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bench {

void register_elementwise();  // bench_elementwise.cpp: activ, eigen, std_loop
void register_softmax();      // bench_softmax.cpp: activ, eigen
void register_memory();       // bench_memory.cpp: memcpy and the non-temporal y = 2x loop
void register_onednn();       // bench_onednn.cpp
void register_xnnpack();      // bench_xnnpack.cpp
void register_sleef();        // bench_sleef.cpp

// Lines for the benchmark context (name, value): how each peer was set up, e.g. its thread count.
std::vector<std::pair<std::string, std::string>> onednn_context();
std::vector<std::pair<std::string, std::string>> xnnpack_context();
std::vector<std::pair<std::string, std::string>> sleef_context();
std::vector<std::pair<std::string, std::string>> memory_context();

}  // namespace bench
