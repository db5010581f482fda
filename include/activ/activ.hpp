// activ/activ.hpp — every activation functor of activ.
#pragma once

#include "policy.hpp"
#include "version.hpp"

#include "elu.hpp"
#include "hard_swish.hpp"
#include "leaky_relu.hpp"
#include "prelu.hpp"
#include "relu.hpp"
#include "rrelu.hpp"
#include "selu.hpp"
#include "sigmoid.hpp"
#include "softmax.hpp"
#include "softplus.hpp"
#include "softsign.hpp"
#include "swish.hpp"
#include "tanh.hpp"
