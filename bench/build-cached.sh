#!/usr/bin/env bash
# Times a fully cached `pkgtree build` (release) of a synthetic 2,000-package tree: the no-op
# run a release engineer does after changing nothing. The tree is first built for real with
# bwrap (x86_64, a few minutes), then the cached build is timed; then the index is deleted and
# the `plan` that rebuilds it from the 2,000 artifacts is timed. Usage: bench/build-cached.sh [RUNS]
# Makes the release build and the x86_64 bwrap builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 bwrap
runs="${1:-5}"
out="$PWD/bench/out/cached"
tree="$out/tree-2000"
cache="$out/cache"
mkdir -p "$out"

bench_release_build "$out"
bench_tree "$tree" 2000
bench_images "$tree" bwrap x86_64
bench_cache "$cache"
"$pkgtree" build --arch x86_64 --runner bwrap --packages "$tree" --cache "$cache" --progress json > "$out/first-build.jsonl"

times=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$pkgtree" build --arch x86_64 --packages "$tree" --cache "$cache" > "$out/cached-build.txt"
    end=$(date +%s%N)
    times+=("$(awk -v ns="$((end - start))" 'BEGIN { printf "%.3f", ns / 1e9 }')")
done
grep -q "everything is cached" "$out/cached-build.txt"
printf '| packages | runs | min (s) | median (s) | max (s) |\n|---:|---:|---:|---:|---:|\n'
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$runs" '{ v[NR] = $1 } END { printf "| 2000 | %d | %.3f | %.3f | %.3f |\n", runs, v[1], v[int((NR + 1) / 2)], v[NR] }'

# The index lost: the next command reads every artifact back and rebuilds it (the stat cache
# goes with it, so the plan also hashes every input again).
rm -f "$cache/index.sqlite" "$cache/index.sqlite-wal" "$cache/index.sqlite-shm"
start=$(date +%s%N)
"$pkgtree" plan --arch x86_64 --packages "$tree" --cache "$cache" > "$out/healed-plan.txt" 2> "$out/healed-plan.err"
end=$(date +%s%N)
grep -q "rebuilt the cache index from 2000 artifacts" "$out/healed-plan.err"
grep -q "0 to build, 2000 cached" "$out/healed-plan.txt"
printf '\n| index lost: plan that rebuilds it from | seconds |\n|---:|---:|\n'
awk -v ns="$((end - start))" 'BEGIN { printf "| 2000 artifacts | %.2f |\n", ns / 1e9 }'
