#!/usr/bin/env bash
# Which layer compression `pkgtree release push` should use: pushes one release (a bootstrap of
# a generated tree, 80 packages of about 1 MB each) to a fresh CNCF distribution registry on
# loopback with each of --layer-compression gzip, zstd and none, then pulls it with podman
# (which unpacks the layer into its storage). Times both, and the bytes the layer takes.
# The registry speaks plain HTTP (--tls-verify=false): TLS costs the same for each.
# Usage: bench/release-push.sh [RUNS]   (default 3). Makes the release build and the x86_64
# bwrap builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 bwrap podman
runs="${1:-3}"
out="$PWD/bench/out/release-push"
tree="$out/tree-80"
cache="$out/cache"
output="$out/output"
mkdir -p "$out"

bench_release_build "$out"
bench_tree "$tree" 80 --payload-kb 1024 --bootstrap-all
bench_images "$tree" bwrap x86_64
bench_cache "$cache"
"$pkgtree" release create --arch x86_64 -j 4 --runner bwrap --packages "$tree" --cache "$cache" --output "$output" \
    --progress json > "$out/create.log"
release=$(ls -d "$output"/*/ | grep -E '/[0-9a-f]{64}/$' | head -n 1)
bootstrap=$(ls "$release"x86_64/*.bootstrap.tar.xz)
podman=(podman --runtime runc --cgroup-manager cgroupfs)
export CONTAINERS_CONF=/etc/containers/pkgtree.conf

seconds() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
rm -f "$out/measures.txt"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for run in $(seq "$runs"); do
    for compression in gzip zstd none; do
        bench_registry "$out/registry"
        reference="127.0.0.1:$registry_port/bench/release:$compression"
        start=$(date +%s%N)
        "$pkgtree" release push "$release" "oci://$reference" --tls-verify=false --layer-compression "$compression" > "$out/push.log"
        pushed=$(date +%s%N)
        "${podman[@]}" pull --quiet --tls-verify=false "$reference" > /dev/null
        pulled=$(date +%s%N)
        "${podman[@]}" rmi --force "$reference" > /dev/null
        bench_registry_stop
        layer=$(sed -n 's/.*(layer \([0-9]*\) bytes.*/\1/p' "$out/push.log")
        echo "$compression $(seconds $((pushed - start))) $(seconds $((pulled - pushed))) $layer" >> "$out/measures.txt"
    done
done
load_after=$(cut -d' ' -f1 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$out/measures.txt" | median; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
printf 'bootstrap %s MB (tar.xz), %s MB as a tar; %s cores; load average %s before, %s after\n\n' \
    "$(mb "$(stat -c %s "$bootstrap")")" "$(mb "$(xz -dc "$bootstrap" | wc -c)")" "$(nproc)" "$load_before" "$load_after"
printf '| --layer-compression | push to an empty registry (s), median of %s | podman pull (s) | push + pull (s) | layer (MB) |\n' "$runs"
printf '|---|---:|---:|---:|---:|\n'
for compression in gzip zstd none; do
    push=$(column "$compression" 2) pull=$(column "$compression" 3)
    printf '| %s | %s | %s | %s | %s |\n' "$compression" "$push" "$pull" "$(awk -v a="$push" -v b="$pull" 'BEGIN { printf "%.2f", a + b }')" \
        "$(mb "$(column "$compression" 4)")"
done
