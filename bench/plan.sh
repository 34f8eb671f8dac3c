#!/usr/bin/env bash
# Benchmarks `pkgtree plan` (release build) on synthetic trees of 100, 1,000 and 5,000
# packages and prints a table. Usage: bench/plan.sh [RUNS]   (default 5 runs per size)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="bench/out"
mkdir -p "$out"

swift build -c release --product pkgtree >/dev/null
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"

seconds() {  # wall-clock seconds of one run of "$@", output discarded
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

printf '| packages | runs | min (s) | median (s) | max (s) | packages/s (median) |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for count in 100 1000 5000; do
    tree="$out/tree-$count"
    python3 bench/generate_tree.py "$count" "$tree"
    "$pkgtree" plan --arch aarch64 --packages "$tree" >/dev/null   # warm the page cache once
    times=()
    for _ in $(seq "$runs"); do
        times+=("$(seconds "$pkgtree" plan --arch aarch64 --packages "$tree")")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    median="${sorted[$((runs / 2))]}"
    rate=$(awk -v n="$count" -v s="$median" 'BEGIN { printf "%d", n / s }')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$count" "$runs" "${sorted[0]}" "$median" "${sorted[$((runs - 1))]}" "$rate"
done
