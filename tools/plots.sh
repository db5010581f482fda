#!/usr/bin/env bash
# Regenerates docs/img/*.png: f and f′ of every elementwise functor over [−6, 6], evaluated by activ
# itself (tools/plot/plot_data.cpp), drawn by gnuplot; and docs/img/overview.png with all of them.
# Usage: tools/plots.sh   (installs g++, Eigen, xsimd and gnuplot-nox from Debian when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh g++ libeigen3-dev libxsimd-dev gnuplot-nox
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -std=c++17 -O2 -I include -isystem /usr/include/eigen3 tools/plot/plot_data.cpp -o "$work/plot_data"
"$work/plot_data" "$work"
mkdir -p docs/img
names=(relu leaky_relu prelu rrelu elu selu sigmoid tanh softsign softplus swish hard_swish)
titles=("ReLU" "LeakyReLU (s = 0.1)" "PReLU (a = 0.25)" "RReLU, eval (l = 1/8, u = 1/3)" "ELU (α = 1)" "SELU"
        "Sigmoid" "Tanh" "Softsign" "Softplus (β = 1)" "Swish / SiLU (β = 1)" "HardSwish")
# Settings every figure shares.
common='set grid
set xrange [-6:6]'
for i in "${!names[@]}"; do
  gnuplot <<GP
set terminal pngcairo size 640,420 font "DejaVu Sans,11" noenhanced
set output "docs/img/${names[$i]}.png"
set title "${titles[$i]}"
$common
set key top left
set xzeroaxis lt -1
set yzeroaxis lt -1
plot "$work/${names[$i]}.dat" using 1:2 with lines lw 2 title "f(x)", \
     "$work/${names[$i]}.dat" using 1:3 with lines lw 2 dt 2 title "f'(x)"
GP
done
plots=""
for i in "${!names[@]}"; do
  dash=1
  [ "$i" -ge 6 ] && dash=2  # the palette repeats after six colours
  plots+="\"$work/${names[$i]}.dat\" using 1:2 with lines lw 2 dt $dash title \"${names[$i]}\", "
done
gnuplot <<GP
set terminal pngcairo size 960,640 font "DejaVu Sans,11" noenhanced
set output "docs/img/overview.png"
set title "activ: every elementwise activation over [-6, 6]"
$common
set key outside right
set yrange [-2:6]
plot ${plots%, }
GP
echo "activ: wrote docs/img/*.png"
