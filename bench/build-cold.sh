#!/usr/bin/env bash
# Cold build of the synthetic 2,000-package tree (generate_tree.py: 23 layers, each package
# requiring 1-3 packages of the two layers below, so the deepest builds have ~1,000
# transitive dependencies) with bwrap at -j 2, from an empty cache, then a table of the
# build overhead per package by layer: the task's time minus the script's own (the scripts
# print their start and end). Target: the deepest layer's overhead within 1.5x of the bottom
# layer's, and the whole build under 2 minutes.
# Usage: bench/build-cold.sh [PACKAGES]   (default 2000). Builds pkgtree (release) and the
# x86_64 builder image (mmdebstrap, minutes, once: cache/images/) if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
out="$PWD/bench/out/cold"
tree="$out/tree-$count"
cache="$out/cache"
mkdir -p "$out"

swift build -c release --product pkgtree >/dev/null
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
python3 bench/generate_tree.py "$count" "$tree" --timed
rm -rf "$cache" && mkdir -p "$cache" cache/images && ln -s "$PWD/cache/images" "$cache/images"
"$pkgtree" image build --arch x86_64 --runner bwrap --packages "$tree" --cache "$cache" >&2

python3 bench/timed_events.py "$out/events.jsonl" -- \
    "$pkgtree" build --arch x86_64 --runner bwrap -j 2 --packages "$tree" --cache "$cache" --progress json \
    2> "$out/build.log" || { echo "pkgtree build failed; see $out/build.log" >&2; exit 1; }
python3 bench/cold_table.py "$tree" "$out/events.jsonl"
