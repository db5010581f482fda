#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/corpus/<target>/<name>.

Each seed is a hand-made input in the byte format documented at the top of
elementwise_body.hpp and fuzz_softmax.cpp, so that the fuzzer starts from every functor, type,
policy, entry point, storage order, stride, offset, special value and invalid case. Values not
given in a seed come from the targets' tail generator. Usage: tests/fuzz/make_corpus.py
(rewrites the directories; the files are committed).
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

FUNCTORS = ["relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "sigmoid", "tanh", "softsign",
            "softplus", "swish", "hard_swish"]
ENTRIES = ["forward", "derivative", "backward", "from_output", "backward_from_output", "returning",
           "reverse", "train_or_dalpha", "batch"]
VARIANTS = {"float": 0, "double": 1, "float_fast": 2, "double_fast": 3}

# Layout bytes (order/stride/padding byte, then offset byte).
CONTIGUOUS_COL = bytes([0x00, 0])
CONTIGUOUS_ROW = bytes([0x01, 0])
UNALIGNED_ROW = bytes([0x01, 3])
STRIDED_COL = bytes([0x0e, 5])     # inner stride 2
PADDED_ROW = bytes([0x21 | 0x40, 1])  # row-major, 2 elements between rows
STRIDED_PADDED_COL = bytes([0x16 | 0x20, 7])

SPECIALS = bytes(range(50))          # every entry of ByteReader::special
GRID = b"".join(bytes([64]) + struct.pack("<h", k) for k in range(-256, 257, 9))  # k/64


def length_bytes(n):
    return struct.pack("<H", n)


def elementwise(variant, functor, entry, kind, n, rows=None, params=b"\x00", mismatch=1, alias=0,
                layouts=CONTIGUOUS_COL * 3, values=SPECIALS):
    head = bytes([VARIANTS[variant], FUNCTORS.index(functor), ENTRIES.index(entry), kind]) + length_bytes(n)
    if kind % 3 == 2:
        head += bytes([rows])
    return head + params + bytes([mismatch, alias]) + layouts + values


def softmax(variant, log, colwise, entry, kind, n, extra=None, mismatch=1, alias=0,
            layouts=CONTIGUOUS_COL * 3, mode=1, scale=20, values=GRID):
    v = VARIANTS[variant] | (4 if log else 0) | (8 if colwise else 0)
    head = bytes([v, entry, kind]) + length_bytes(n)
    if kind % 4 in (2, 3):
        head += bytes([extra])
    return head + bytes([mismatch, alias]) + layouts + bytes([mode, scale]) + values


def write(target, seeds):
    directory = os.path.join(HERE, "corpus", target)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for name, data in seeds:
        with open(os.path.join(directory, name), "wb") as out:
            out.write(data)
    print(f"{directory}: {len(seeds)} seeds")


def elementwise_seeds():
    seeds = []
    variants = list(VARIANTS)
    # Every functor in every type and policy, each through another entry and layout.
    layouts = [CONTIGUOUS_COL * 3, CONTIGUOUS_ROW + CONTIGUOUS_ROW + UNALIGNED_ROW,
               STRIDED_COL + STRIDED_COL + PADDED_ROW, UNALIGNED_ROW + UNALIGNED_ROW + STRIDED_PADDED_COL]
    for f, functor in enumerate(FUNCTORS):
        for v, variant in enumerate(variants):
            entry = ENTRIES[(f + 2 * v) % 5]
            kind, n, rows = [(0, 67, None), (1, 33, None), (2, 200, 7), (2 | 0x80, 150, 9)][(f + v) % 4]
            seeds.append((f"{functor}_{variant}_{entry}", elementwise(
                variant, functor, entry, kind, n, rows, layouts=layouts[(f + 3 * v) % 4])))
    # Every entry at least once more, with parameters read from the input (grid values).
    params = {"leaky_relu": b"\x01\xf0", "prelu": b"\x01\x08", "rrelu": b"\x01\x02\x06", "elu": b"\x01\x28",
              "softplus": b"\x01\x1b\x50", "swish": b"\x01\xe5"}
    for k, (functor, p) in enumerate(params.items()):
        for entry in [["returning", "reverse", "batch"][k % 3], "backward"]:
            seeds.append((f"{functor}_params_{entry}", elementwise(
                variants[k % 4], functor, entry, 2, 300, 12, params=p, layouts=layouts[k % 4])))
    # One alpha per channel (mode 3: count = the columns, grid values), dalpha, and a channel count
    # that does not match.
    per_channel = b"\x03\x01\x01" + bytes([8, 250, 3, 4, 12, 0, 40, 1]) + b"\x00"
    seeds.append(("prelu_channels_forward", elementwise("float", "prelu", "forward", 2 | 0x80 | (7 << 3), 64, 8,
                                                        params=per_channel, layouts=CONTIGUOUS_ROW * 3)))
    seeds.append(("prelu_channels_backward_col", elementwise("double", "prelu", "backward", 2 | 0x80 | (7 << 3), 64,
                                                             8, params=per_channel)))
    seeds.append(("prelu_channels_dalpha", elementwise("float_fast", "prelu", "train_or_dalpha", 2 | 0x80 | (7 << 3),
                                                       64, 8, params=per_channel, layouts=STRIDED_COL * 3)))
    seeds.append(("prelu_shared_dalpha", elementwise("double", "prelu", "train_or_dalpha", 2, 500, 10)))
    seeds.append(("prelu_channels_mismatch", elementwise("double_fast", "prelu", "forward", 2, 64, 8,
                                                         params=b"\x03\x00\x03\x01" + bytes([4, 8, 12, 16]) + b"\x01")))
    # RReLU training, in place and strided.
    seeds.append(("rrelu_train", elementwise("float", "rrelu", "train_or_dalpha", 2, 300, 10)))
    seeds.append(("rrelu_train_double_in_place", elementwise("double", "rrelu", "train_or_dalpha", 1, 100, alias=1,
                                                             layouts=STRIDED_COL * 3)))
    seeds.append(("rrelu_train_fast_strided", elementwise("float_fast", "rrelu", "train_or_dalpha", 2, 90, 9,
                                                          layouts=PADDED_ROW * 3)))
    # Invalid parameters: NaN, ∞, β = 0, lower > upper; from_output with a negative slope.
    nan_value, inf_value = b"\x02\x04", b"\x02\x02"
    seeds.append(("leaky_relu_nan_slope", elementwise("float", "leaky_relu", "forward", 0, 8, params=nan_value)))
    seeds.append(("elu_inf_alpha", elementwise("double", "elu", "forward", 0, 8, params=inf_value)))
    seeds.append(("softplus_zero_beta", elementwise("float", "softplus", "forward", 0, 8, params=b"\x01\x00\x10")))
    seeds.append(("softplus_nan_threshold", elementwise("double", "softplus", "forward", 0, 8,
                                                        params=b"\x02\x0c\x04")))
    seeds.append(("rrelu_lower_above_upper", elementwise("float", "rrelu", "forward", 0, 8, params=b"\x01\x10\x08")))
    seeds.append(("swish_nan_beta", elementwise("float_fast", "swish", "forward", 0, 8, params=nan_value)))
    seeds.append(("leaky_relu_negative_from_output", elementwise("float", "leaky_relu", "from_output", 0, 20,
                                                                 params=b"\x01\xf8")))
    seeds.append(("elu_negative_from_output", elementwise("double", "elu", "backward_from_output", 0, 20,
                                                          params=b"\x01\xe0")))
    # Mismatched shapes (each kind), zero lengths, in place.
    for k, m in enumerate([0x00, 0x20, 0x40, 0x60, 0x08, 0x10]):
        seeds.append((f"mismatch_{k}", elementwise(variants[k % 4], FUNCTORS[k * 2], ["forward", "backward"][k % 2],
                                                   2, 40, 5, mismatch=m)))
    seeds.append(("zero_row", elementwise("float", "sigmoid", "forward", 0, 0)))
    seeds.append(("zero_matrix", elementwise("double", "tanh", "backward", 2, 3, 5)))
    seeds.append(("in_place_forward", elementwise("float", "softplus", "forward", 2, 4096, 64, alias=1)))
    seeds.append(("in_place_backward_dy", elementwise("double_fast", "swish", "backward", 2, 4096, 32, alias=2,
                                                      layouts=STRIDED_PADDED_COL * 3)))
    seeds.append(("long_grid", elementwise("float", "hard_swish", "derivative", 0, 4096, values=GRID)))
    return seeds


def softmax_seeds():
    seeds = []
    layouts = [CONTIGUOUS_COL * 3, CONTIGUOUS_ROW * 3, STRIDED_COL + PADDED_ROW + UNALIGNED_ROW,
               UNALIGNED_ROW + STRIDED_PADDED_COL + STRIDED_COL]
    shapes = [(0, 100, None), (1, 37, None), (2, 400, 16), (2 | 0x40, 400, 5), (2 | 0x80 | (3 << 3), 64, 17)]
    for v, variant in enumerate(VARIANTS):
        for log in (False, True):
            for colwise in (False, True):
                for entry in {(v + 2 * log + colwise) % 5, (v + 2 * log + colwise + 2) % 5, 1}:
                    k = v + 2 * log + 3 * colwise + entry
                    kind, n, extra = shapes[k % len(shapes)]
                    if entry == 4:
                        kind, n, extra = (k % 2, 40, None)
                    name = f"{variant}_{'log' if log else 'softmax'}_{'col' if colwise else 'row'}_{entry}"
                    seeds.append((name, softmax(variant, log, colwise, entry, kind, n, extra,
                                                layouts=layouts[k % 4], mode=1 + k % 2, scale=k % 41)))
    # Special distributions: values any (mode 0: specials from the table), wide scales.
    seeds.append(("specials_rows", softmax("float", False, False, 0, 2, 200, 20, mode=0, values=SPECIALS * 4)))
    seeds.append(("specials_log_cols", softmax("double", True, True, 0, 2, 200, 20, mode=2, values=SPECIALS * 4)))
    seeds.append(("huge_scale", softmax("double_fast", False, False, 0, 0, 300, mode=1, scale=40)))
    seeds.append(("zero_by_n", softmax("float", True, False, 0, 3, 0, 5)))
    seeds.append(("zero_length", softmax("double", False, False, 1, 0, 0)))
    for k, m in enumerate([0x00, 0x18, 0x20, 0x38]):
        seeds.append((f"mismatch_{k}", softmax(list(VARIANTS)[k], k % 2 == 1, False, 1 if k >= 2 else 0, 2, 60, 6,
                                               mismatch=m)))
    seeds.append(("in_place_forward", softmax("float", False, True, 0, 2, 4096, 64, alias=1,
                                              layouts=PADDED_ROW * 3)))
    seeds.append(("backward_over_dy", softmax("double", True, False, 1, 2, 1000, 10, alias=1)))
    seeds.append(("backward_over_y_raw", softmax("float_fast", False, False, 2, 2, 1000, 10, alias=2)))
    seeds.append(("jacobian_of_matrix", softmax("float", False, False, 4, 2, 40, 4)))
    return seeds


if __name__ == "__main__":
    write("fuzz_elementwise", elementwise_seeds())
    write("fuzz_softmax", softmax_seeds())
