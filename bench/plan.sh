#!/usr/bin/env bash
# Benchmarks `pkgtree plan` (release build) on synthetic trees of 100, 1,000 and 5,000
# packages and prints a table: "cold" hashes every input file (a fresh cache each run);
# "warm" finds them in the stat cache, as a no-op run over an unchanged tree does.
# Usage: bench/plan.sh [RUNS]   (default 5 runs per size and mode)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3
runs="${1:-5}"
out="$PWD/bench/out"
mkdir -p "$out"

bench_release_build "$out"

seconds() {  # wall-clock seconds of one run of "$@", output discarded
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

# min, median and max of the numbers on stdin
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f | %.3f | %.3f", v[1], v[int((NR + 1) / 2)], v[NR] }'; }

printf '| packages | mode | runs | min (s) | median (s) | max (s) |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
for count in 100 1000 5000; do
    tree="$out/tree-$count"
    python3 bench/generate_tree.py "$count" "$tree"
    touch -d '1 hour ago' $(find "$tree" -type f)   # older than the stat cache's racy window
    "$pkgtree" plan --arch aarch64 --packages "$tree" --cache "$out/cache-scratch" >/dev/null  # warm the page cache
    cold=()
    for run in $(seq "$runs"); do
        rm -rf "$out/cache-cold"
        cold+=("$(seconds "$pkgtree" plan --arch aarch64 --packages "$tree" --cache "$out/cache-cold")")
    done
    warm=()
    rm -rf "$out/cache-warm"
    "$pkgtree" plan --arch aarch64 --packages "$tree" --cache "$out/cache-warm" >/dev/null
    for run in $(seq "$runs"); do
        warm+=("$(seconds "$pkgtree" plan --arch aarch64 --packages "$tree" --cache "$out/cache-warm")")
    done
    printf '| %s | cold | %s | %s |\n' "$count" "$runs" "$(printf '%s\n' "${cold[@]}" | summary)"
    printf '| %s | warm | %s | %s |\n' "$count" "$runs" "$(printf '%s\n' "${warm[@]}" | summary)"
done
rm -rf "$out/cache-cold" "$out/cache-warm" "$out/cache-scratch"
