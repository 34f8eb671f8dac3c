#!/usr/bin/env bash
# Scheduler efficiency: builds (release, bwrap, x86_64) a synthetic 48-package tree of 6
# layers whose build scripts sleep 2-8 s, from a fresh cache for each -j, and prints how
# close each makespan comes to its bound, max(critical path, total sleep / j), with
# per-build overhead and start delays taken from the `--progress json` events.
# Usage: bench/scheduler.sh [J...]   (default: 1, 2, the tree's width and the package count)
# Sleeps use no CPU, so -j may exceed the cores. Makes the release build and the x86_64 bwrap
# builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 bwrap
count=48
out="$PWD/bench/out/scheduler"
tree="$out/tree"
mkdir -p "$out"

bench_release_build "$out"
python3 bench/generate_tree.py "$count" "$tree" --width 8 --sleep 2:8
touch -d '1 hour ago' $(find "$tree" -type f)   # outside the stat cache's racy window
bench_images "$tree" bwrap x86_64

if [ $# -eq 0 ]; then set -- 1 2 "$(python3 bench/scheduler_table.py --width "$tree")" "$count"; fi
runs=()
for j in "$@"; do
    cache="$out/cache-j$j"
    rm -rf "$cache" && bench_cache "$cache"
    python3 bench/timed_events.py "$out/events-j$j.jsonl" -- \
        "$pkgtree" build --arch x86_64 --runner bwrap -j "$j" --packages "$tree" --cache "$cache" --progress json \
        2> "$out/build-j$j.log" || { echo "pkgtree build -j $j failed; see $out/build-j$j.log" >&2; exit 1; }
    runs+=("$j=$out/events-j$j.jsonl")
done
python3 bench/scheduler_table.py "$tree" "${runs[@]}"
