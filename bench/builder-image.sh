#!/usr/bin/env bash
# What the builders a port uses cost, once per image, per runner and architecture: a
# dcos-builder-style Dockerfile directory as the default builder (an engine build on the
# recipe's image; for bwrap that build, then export and unpack), the first build in it, and a
# recipe that only adds an environment (no mmdebstrap: an engine loads the same root
# filesystem as another image). Each run builds new images (a nonce in the Dockerfile and the
# environment) and removes them afterwards; the built-in recipe's images are made when missing.
# Usage: bench/builder-image.sh [RUNNER...]   (default: podman bwrap; docker when its daemon answers)
# PKGTREE=path/to/pkgtree skips the release build (the figures are engine and tar time).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
out="$PWD/bench/out/builder-image"
rm -rf "$out" && mkdir -p "$out"
if [ -n "${PKGTREE:-}" ]; then pkgtree="$PKGTREE"; else bench_release_build "$out"; fi
runners=("$@")
if [ ${#runners[@]} -eq 0 ]; then
    runners=(podman bwrap)
    if docker info >/dev/null 2>&1; then runners+=(docker); fi
fi
nonce="$(date +%s)-$$"
tree="$out/packages"
mkdir -p "$tree/docker/dcos-builder" "$tree/probe"
cat > "$tree/docker/dcos-builder/Dockerfile" <<DOCKERFILE
ARG PKGTREE_BUILDER
FROM \${PKGTREE_BUILDER}
ENV GOPATH /pkg
ENV PATH \$GOPATH/bin:\$PATH
RUN mkdir -p "\$GOPATH/src" "\$GOPATH/bin" && echo $nonce > /etc/bench-nonce
WORKDIR /pkg/src
ENTRYPOINT ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit"]
DOCKERFILE
echo '{}' > "$tree/probe/buildinfo.json"
printf 'mkdir -p "$PKG_PATH/share"\ncat /etc/bench-nonce > "$PKG_PATH/share/nonce"\n' > "$tree/probe/build"
dockerfile_tree='{"default_builder": {"docker_directory": "docker/dcos-builder"}}'

# seconds COMMAND...: runs COMMAND (its output to $out/last.log and last.err), prints the wall time.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$out/last.log" 2>"$out/last.err" || { cat "$out/last.log" "$out/last.err" >&2; echo "bench: failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

# made_image RUNNER ARCH: remembers the image `pkgtree image build` printed last (a reference, or
# for bwrap a root filesystem, built with podman), and its directory in cache/images, to remove
# them at the end.
made_image() {
    local printed id
    printed=$(tail -n 1 "$out/last.log")
    printed=${printed##*: }
    if [ "$1" = bwrap ]; then id=$(basename "$(dirname "$printed")"); made+=("podman:localhost/pkgtree/builder-$2:$id")
    else id=${printed##*:}; made+=("$1:$printed"); fi
    # Only an image id (24 hex digits) names a directory to remove: never images/<arch> itself.
    if [[ "$id" =~ ^[0-9a-f]{24}$ ]]; then made+=("dir:$PWD/cache/images/$2/$id"); fi
}

made=()  # "<engine>:<reference>" and "dir:<images directory>" entries to remove at the end
cleanup() {
    local entry
    for entry in "${made[@]}"; do
        case "$entry" in
            podman:*|docker:*) "${entry%%:*}" rmi --force "${entry#*:}" >/dev/null 2>&1 || true ;;
            dir:*) rm -rf "${entry#dir:}" ;;
        esac
    done
}
trap cleanup EXIT

printf '| runner | arch | step | seconds |\n|---|---|---|---:|\n'
for runner in "${runners[@]}"; do
    for arch in x86_64 aarch64; do
        echo '{}' > "$tree/treeinfo.json"
        bench_images "$tree" "$runner" "$arch"  # the built-in recipe's image, the Dockerfile's base
        cache="$out/cache-$runner-$arch"
        bench_cache "$cache" && bench_cache "$cache-again"
        echo "$dockerfile_tree" > "$tree/treeinfo.json"
        sed -i "s/^RUN .*/RUN mkdir -p \"\$GOPATH\/src\" \"\$GOPATH\/bin\" \&\& echo $nonce-$runner-$arch > \/etc\/bench-nonce/" "$tree/docker/dcos-builder/Dockerfile"
        step=$([ "$runner" = bwrap ] && echo "Dockerfile image: podman build, export, unpack" || echo "Dockerfile image: $runner build")
        printf '| %s | %s | %s | %s |\n' "$runner" "$arch" "$step" \
            "$(seconds "$pkgtree" image build --arch "$arch" --runner "$runner" --packages "$tree" --cache "$cache")"
        made_image "$runner" "$arch"
        printf '| %s | %s | %s | %s |\n' "$runner" "$arch" "first build in it" \
            "$(seconds "$pkgtree" build --arch "$arch" --runner "$runner" --packages "$tree" --cache "$cache" --no-bootstrap)"
        printf '| %s | %s | %s | %s |\n' "$runner" "$arch" "next build in it" \
            "$(seconds "$pkgtree" build --arch "$arch" --runner "$runner" --packages "$tree" --cache "$cache-again" --no-bootstrap)"
        if [ "$runner" != bwrap ]; then
            builtin=$([ "$arch" = x86_64 ] && echo '"gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross", ' || true)
            echo "{\"default_builder\": {\"suite\": \"bookworm\", \"packages\": [$builtin\"bash\", \"build-essential\", \"ca-certificates\", \"file\", \"git\", \"make\", \"pkg-config\", \"xz-utils\"], \"environment\": {\"BENCH\": \"$nonce\"}}}" > "$tree/treeinfo.json"
            printf '| %s | %s | %s | %s |\n' "$runner" "$arch" "recipe with an environment: engine load" \
                "$(seconds "$pkgtree" image build --arch "$arch" --runner "$runner" --packages "$tree" --cache "$cache")"
            made_image "$runner" "$arch"
        fi
    done
done
