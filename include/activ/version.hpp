// activ/version.hpp — the one place the version is written (CMake reads it from here).
#pragma once

#define ACTIV_VERSION_MAJOR 0
#define ACTIV_VERSION_MINOR 1
#define ACTIV_VERSION_PATCH 0
#define ACTIV_VERSION_STRING "0.1.0"
