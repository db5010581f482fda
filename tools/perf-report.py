#!/usr/bin/env python3
"""Turns activ_bench's JSON output (--benchmark_out_format=json) into a Markdown performance table.

Usage:
    tools/perf-report.py RESULTS.json [--write docs/performance.md] [--command "tools/bench.sh --full"]
                         [--note "Preliminary: …"]

For each function, op, type and size: activ's Gelem/s (the median of the repetitions), the fastest
peer's name and Gelem/s, activ / peer, and at n = 16M activ's throughput as a fraction of the
memory limit for the same bytes (see MEMORY_NOTE). Then the cases where activ is behind a peer
(ratio < 1). Prints to stdout; --write also writes the Markdown, with a header giving the date,
commit, machine and the command that produced the results. Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRAM_SIZE = "16777216"
ELEMENTWISE_ORDER = ["relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "sigmoid", "tanh", "softsign",
                     "softplus", "swish", "hard_swish"]
SOFTMAX_ORDER = ["softmax", "log_softmax"]
OP_ORDER = ["forward", "derivative", "backward", "backward_from_output"]
TYPE_ORDER = ["float", "double"]
MEMORY_NOTE = (
    "**Memory limit** (last column, n = 16M only, where every array lives in DRAM): "
    "`memory/scale_nt/<op>/<type>/16777216`, a y = 2x loop with non-temporal stores (no read-for-ownership "
    "of y), run over the bytes the activ case moves: for forward and derivative 2 arrays of n elements "
    "(n elements copied), for backward and backward_from_output 3 arrays (3n/2 elements copied). Both "
    "count n items, so the column is activ's Gelem/s divided by the loop's Gelem/s for the same bytes: "
    "1.0 means activ streams its arrays as fast as this loop moves the same bytes."
)
SPREAD_NOTE = (
    "**Spread at n = 4096** (L1): the cheapest kernels (the ReLU family, hard-swish, softsign) run a loop"
    " of a few instructions per batch, whose speed depends on where the compiler places it: the same loop"
    " took 1.2 cycles per batch in one build and 2.5 in another where it straddled a 64-byte line (Zen 4,"
    " AVX2 RReLU′), and activ's two policies, running identical code there, have differed by up to 1.8× "
    "in one run (ReLU backward, the run at b247f66). Ratios of about 0.6–1.4 in those rows are within "
    "that spread; from 65536 on the loops wait on memory and it is smaller."
)


# ---- reading ------------------------------------------------------------------------------------
def parse_name(run_name):
    """'<impl>/<function>/<op>/<type>/<size>[/real_time]' -> tuple, or None for other names."""
    parts = run_name.split("/")
    if parts and parts[-1] in ("real_time", "manual_time"):
        parts = parts[:-1]
    if len(parts) != 5:
        return None
    return tuple(parts)


def load(path):
    """{(impl, function, op, type, size): {"gelem": median Gelem/s, "label": str}}, context, repetitions."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    medians, iterations, labels, repetitions = {}, {}, {}, 1
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        key = parse_name(b.get("run_name", b["name"]))
        if key is None or "items_per_second" not in b:
            continue
        repetitions = max(repetitions, int(b.get("repetitions", 1)))
        if b.get("label"):
            labels[key] = b["label"]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[key] = b["items_per_second"] / 1e9
        else:
            iterations.setdefault(key, []).append(b["items_per_second"] / 1e9)
    results = {}
    for key in set(medians) | set(iterations):
        value = medians[key] if key in medians else statistics.median(iterations[key])
        results[key] = {"gelem": value, "label": labels.get(key, "")}
    return results, data.get("context", {}), repetitions


# ---- the machine and the commit -------------------------------------------------------------------
def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine():
    fields = {}
    for line in run(["lscpu"]).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    model = fields.get("Model name", "unknown CPU")
    cpus = fields.get("CPU(s)", "?")
    try:
        cores = int(fields["Core(s) per socket"]) * int(fields.get("Socket(s)", "1"))
    except (KeyError, ValueError):
        cores = "?"
    return "%s, %s cores (%s logical CPUs)" % (model, cores, cpus)


def commit():
    sha = run(["git", "rev-parse", "--short=12", "HEAD"]).strip() or "unknown"
    branch = run(["git", "rev-parse", "--abbrev-ref", "HEAD"]).strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"]).strip()
    return sha + (" (%s)" % branch if branch else "") + (" + uncommitted changes" if dirty else "")


# ---- formatting ----------------------------------------------------------------------------------
def gelem(value):
    if value is None:
        return "—"
    return "%.3g" % value if value < 100 else "%.0f" % value


def ratio(value):
    return "—" if value is None else "%.2f" % value


def size_text(size):
    return "16M" if size == DRAM_SIZE else size


def order_key(order, value):
    return (order.index(value), value) if value in order else (len(order), value)


def size_key(size):
    m = re.match(r"(\d+)x(\d+)_(\w+)", size)
    if m:
        return (1, int(m.group(1)) * int(m.group(2)), size)
    return (0, int(size), size) if size.isdigit() else (2, 0, size)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


# ---- the comparison ------------------------------------------------------------------------------
# activ's own implementations: the default policy (activ::accurate) and activ::fast.
OURS = ("activ", "activ_fast", "memory")

def compare(results):
    """One row per activ case: peers of the same function, op, type and size; memory limit at 16M."""
    rows = []
    for key, value in results.items():
        impl, function, op, type_, size = key
        if impl != "activ" or function.endswith("_unary_expr"):
            continue
        peers = [(v["gelem"], k[0]) for k, v in results.items()
                 if k[1:] == key[1:] and k[0] not in OURS]
        best = max(peers) if peers else None
        fast = results.get(("activ_fast",) + key[1:])
        fast = fast["gelem"] if fast else None
        limit = fast_limit = None
        if size == DRAM_SIZE:
            memory_op = "forward" if op in ("forward", "derivative") else "backward"
            memory = results.get(("memory", "scale_nt", memory_op, type_, size))
            limit = value["gelem"] / memory["gelem"] if memory else None
            fast_limit = fast / memory["gelem"] if memory and fast else None
        rows.append({
            "function": function, "op": op, "type": type_, "size": size, "activ": value["gelem"],
            "fast": fast, "peer": best[1] if best else None, "peer_gelem": best[0] if best else None,
            "ratio": value["gelem"] / best[0] if best else None,
            "fast_ratio": fast / best[0] if best and fast else None, "limit": limit, "fast_limit": fast_limit,
        })
    return rows


def report(results, context, repetitions, command, note=None, interleaved=False):
    rows = compare(results)
    elementwise = [r for r in rows if r["function"] not in SOFTMAX_ORDER]
    softmax = [r for r in rows if r["function"] in SOFTMAX_ORDER]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    peers = context.get("activ_peers", "?")
    lines = [
        "# Performance",
        "",
        "Measured by `activ_bench` (bench/), one thread, every implementation in the same run. Benchmark "
        "names are `<impl>/<function>/<op>/<type>/<size>` (Google Benchmark appends `/real_time`); the "
        "JSON it writes is what this page is made from (`tools/perf-report.py`).",
        "",
        "- Date: %s (benchmark run started %s)" % (now, context.get("date", "?")),
        "- Commit: %s" % commit(),
        "- Machine: %s" % machine(),
        "- Command: `%s`" % command,
        "- Implementations in this run: %s" % peers,
        "- Figures: medians of %d repetition%s, in Gelem/s (10^9 elements per second)."
        % (repetitions, "" if repetitions == 1 else "s"),
    ]
    if interleaved:
        lines.append("- Order: every repetition of every case in one random sequence (Google Benchmark's "
                     "`--benchmark_enable_random_interleaving`), so that a noisy stretch of a shared host "
                     "falls on activ and its peers alike.")
    for key in ("bench_march", "xsimd_default_arch", "onednn_threads", "xnnpack_threads", "sleef_isa",
                "memory_nt_stores"):
        if key in context:
            lines.append("- %s: %s" % (key, context[key]))
    if note:
        lines[1:1] = ["", "**%s**" % note]
    lines += [
        "",
        "*Fastest peer*: the highest Gelem/s among the other implementations of the same function, op, "
        "type and size (eigen, std_loop, onednn, xnnpack, sleef; not every peer has every case: "
        "oneDNN and XNNPACK have no double, XNNPACK no backward). *activ* is the default policy "
        "(`activ::accurate`: ≤ 1 ULP), *fast* the `activ::fast` policy (a few ULP, docs/accuracy.md); "
        "a ratio > 1 means activ is faster.",
        "",
        MEMORY_NOTE,
        "",
        SPREAD_NOTE,
        "",
        "## Elementwise",
        "",
    ]
    header = ["op", "type", "n", "activ", "fast", "fastest peer", "peer", "activ / peer", "fast / peer",
              "activ / memory limit", "fast / memory limit"]
    for function in sorted({r["function"] for r in elementwise}, key=lambda f: order_key(ELEMENTWISE_ORDER, f)):
        selected = sorted((r for r in elementwise if r["function"] == function),
                          key=lambda r: (order_key(OP_ORDER, r["op"]), order_key(TYPE_ORDER, r["type"]),
                                         size_key(r["size"])))
        lines += ["### %s" % function, ""]
        lines += table(header, [[r["op"], r["type"], size_text(r["size"]), gelem(r["activ"]), gelem(r["fast"]),
                                 r["peer"] or "—", gelem(r["peer_gelem"]), ratio(r["ratio"]), ratio(r["fast_ratio"]),
                                 ratio(r["limit"]), ratio(r["fast_limit"])] for r in selected])
        lines.append("")

    if softmax:
        lines += ["## Softmax and log-softmax", "",
                  "Shape: rows × cols, the axis of the distributions, the storage order. Backward is from the "
                  "output y, as the API defines it.", ""]
        header = ["function", "op", "type", "shape", "activ", "fast", "fastest peer", "peer", "activ / peer",
                  "fast / peer"]
        selected = sorted(softmax, key=lambda r: (order_key(SOFTMAX_ORDER, r["function"]), order_key(OP_ORDER, r["op"]),
                                                  order_key(TYPE_ORDER, r["type"]), size_key(r["size"])))
        lines += table(header, [[r["function"], r["op"], r["type"], r["size"], gelem(r["activ"]), gelem(r["fast"]),
                                 r["peer"] or "—", gelem(r["peer_gelem"]), ratio(r["ratio"]), ratio(r["fast_ratio"])]
                                for r in selected])
        lines.append("")

    expressions = sorted(k for k in results if k[0] == "activ" and k[1].endswith("_unary_expr"))
    if expressions:
        lines += ["## activ inside an Eigen expression", "",
                  "`y = x.unaryExpr(f)` (Eigen's loop over activ's packet math) against `f.forward(x, y)`.", ""]
        rows_ = []
        for k in sorted(expressions, key=lambda k: (k[1], order_key(TYPE_ORDER, k[3]), size_key(k[4]))):
            direct = results.get(("activ", k[1][: -len("_unary_expr")], k[2], k[3], k[4]))
            e = results[k]["gelem"]
            d = direct["gelem"] if direct else None
            rows_.append([k[1][: -len("_unary_expr")], k[2], k[3], size_text(k[4]), gelem(e), gelem(d),
                          ratio(e / d if d else None)])
        lines += table(["function", "op", "type", "n", "unaryExpr", "forward()", "unaryExpr / forward()"], rows_)
        lines.append("")

    memory = sorted((k for k in results if k[0] == "memory" and k[4] == DRAM_SIZE),
                    key=lambda k: (k[1], order_key(OP_ORDER, k[2]), order_key(TYPE_ORDER, k[3])))
    if memory:
        lines += ["## Memory limit at n = 16M", "",
                  "Bytes per second over the bytes moved (2 arrays for forward, 3 for backward), and the "
                  "Gelem/s the columns above divide by.", ""]
        rows_ = []
        for k in memory:
            g = results[k]["gelem"]
            arrays = 2 if k[2] == "forward" else 3
            width = 4 if k[3] == "float" else 8
            rows_.append([k[1], k[2], k[3], "%.1f" % (g * arrays * width), gelem(g)])
        lines += table(["loop", "bytes of", "type", "GB/s", "Gelem/s"], rows_)
        lines.append("")

    def best_ratio(r):
        return max(x for x in (r["ratio"], r["fast_ratio"]) if x is not None)
    compared = [r for r in rows if r["ratio"] is not None]
    behind = sorted((r for r in compared if best_ratio(r) < 1), key=best_ratio)
    accurate_behind = sum(1 for r in compared if r["ratio"] < 1)
    lines += ["## Where activ is behind", "",
              "%d of %d compared cases have activ (default policy) / fastest peer < 1; in %d of them "
              "neither policy reaches the fastest peer:" % (accurate_behind, len(compared), len(behind)), ""]
    if behind:
        lines += table(["function", "op", "type", "size", "activ", "fast", "fastest peer", "peer", "activ / peer",
                        "fast / peer"],
                       [[r["function"], r["op"], r["type"], size_text(r["size"]), gelem(r["activ"]),
                         gelem(r["fast"]), r["peer"], gelem(r["peer_gelem"]), ratio(r["ratio"]),
                         ratio(r["fast_ratio"])] for r in behind])
        lines.append("")
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="the JSON file written by activ_bench --benchmark_out")
    parser.add_argument("--write", metavar="PATH", help="also write the Markdown here (e.g. docs/performance.md)")
    parser.add_argument("--command", default="build-bench/bench/activ_bench",
                        help="the command that produced the results, for the header")
    parser.add_argument("--note", help="a line to put under the title (e.g. that the figures are preliminary)")
    parser.add_argument("--interleaved", action="store_true",
                        help="the run interleaved the repetitions in random order (said in the header)")
    args = parser.parse_args(argv)
    results, context, repetitions = load(args.results)
    if not results:
        sys.exit("perf-report: no benchmark results in %s" % args.results)
    text = report(results, context, repetitions, args.command, args.note, args.interleaved)
    print(text)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print("\nperf-report: wrote %s" % args.write, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
