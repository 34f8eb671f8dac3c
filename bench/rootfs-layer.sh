#!/usr/bin/env bash
# What a bwrap build's throwaway root costs: a kernel overlayfs over the shared builder rootfs
# (what pkgtree does: unshare, mount, exec bwrap) against a copy of the rootfs per build
# (cp -a --reflink=auto, then bwrap on the copy), each running `true` and cleaning up.
# Usage: bench/rootfs-layer.sh [RUNS]   (default 5). Makes the x86_64 builder image if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="$PWD/bench/out/rootfs-layer"
mkdir -p "$out"

swift build -c release --product pkgtree >/dev/null
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
"$pkgtree" image build --arch x86_64 --runner bwrap --packages packages >&2
id="$("$pkgtree" plan --arch x86_64 --json --packages packages | python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["builder"]["digest"][:24])')"
rootfs="$PWD/cache/images/x86_64/$id/rootfs"
size="$(du -sm "$rootfs" | cut -f1)"
sandbox=(--proc /proc --dev /dev --unshare-all --die-with-parent true)
map=(); if [ "$(id -u)" != 0 ]; then map=(--user --map-root-user); fi

seconds() { local start; start=$(date +%s%N); "$@"; awk -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.3f\n", ns / 1e9 }'; }
overlay() {
    unshare --mount --propagation private "${map[@]}" -- sh -c \
        'mkdir -p "$1" "$2" "$3" && mount -t overlay overlay -o "lowerdir=$4,upperdir=$1,workdir=$2" "$3" && shift 4 && exec "$@"' \
        sh "$out/layer/upper" "$out/layer/work" "$out/layer/root" "$rootfs" bwrap --bind "$out/layer/root" / "${sandbox[@]}"
    chmod -R u+rwx "$out/layer" && rm -rf "$out/layer"
}
copy() {
    cp -a --reflink=auto "$rootfs" "$out/copy"
    bwrap --bind "$out/copy" / "${sandbox[@]}"
    rm -rf "$out/copy"
}
row() {
    local name="$1"; shift
    printf '%s\n' "$@" | sort -n | awk -v name="$name" -v runs="$runs" '{ v[NR] = $1 } END {
        printf "| %s | %d | %.3f | %.3f | %.3f |\n", name, runs, v[1], v[int((NR + 1) / 2)], v[NR] }'
}
overlays=(); copies=()
for _ in $(seq "$runs"); do
    overlays+=("$(seconds overlay)")
    copies+=("$(seconds copy)")
done
echo "rootfs $rootfs: $size MB"
echo
printf '| throwaway root | runs | min (s) | median (s) | max (s) |\n|---|---:|---:|---:|---:|\n'
row "overlayfs (unshare + mount + bwrap)" "${overlays[@]}"
row "copy (cp -a --reflink=auto + bwrap)" "${copies[@]}"
