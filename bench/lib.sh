# Sourced by the benchmarks: what each one needs, made here, so that any of them is one
# command on a fresh clone and none depends on what another left behind. Something that
# cannot be made here (a tool to install) stops the benchmark at once with the command that
# fixes it.

# bench_require TOOL...: stops unless every TOOL is on PATH.
bench_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is not installed; run scripts/setup.sh" >&2; exit 1; }
    done
}

# bench_release_build OUT: the release pkgtree, built if needed; sets $pkgtree. The build's
# output goes to OUT/swift-build.log, shown only when the build fails.
bench_release_build() {
    local log="$1/swift-build.log"
    bench_require swift
    mkdir -p "$1"
    swift build -c release --product pkgtree >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "bench: the release build failed (log: $log)" >&2; exit 1; }
    pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
}

# bench_tree DIR N [generate_tree.py options…]: the generated tree of N packages in DIR, made
# once; its files dated an hour back, outside the stat cache's racy window.
bench_tree() {
    local tree="$1" count="$2"
    shift 2
    if [ ! -d "$tree" ]; then
        python3 bench/generate_tree.py "$count" "$tree" "$@"
        touch -d '1 hour ago' $(find "$tree" -type f)
    fi
}

# bench_cache DIR: a cache directory whose images/ is the repository's cache/images, which
# every benchmark shares so that a builder image is made once.
bench_cache() {
    mkdir -p "$1" cache/images
    if [ -L "$1/images" ] || [ ! -e "$1/images" ]; then ln -sfn "$PWD/cache/images" "$1/images"; fi
}

# bench_images TREE RUNNER ARCH...: the builder images TREE needs on each ARCH, made for
# RUNNER in the shared cache/images when missing (mmdebstrap: minutes, once per recipe).
bench_images() {
    local tree="$1" runner="$2" arch scratch="bench/out/image-cache"
    shift 2
    case "$runner" in
        bwrap) bench_require bwrap mmdebstrap ;;
        *) bench_require "$runner" mmdebstrap ;;
    esac
    bench_cache "$scratch"
    for arch in "$@"; do
        "$pkgtree" image build --arch "$arch" --runner "$runner" --packages "$tree" --cache "$scratch" >/dev/null \
            || { echo "bench: could not make the $arch builder image for $runner (see above)" >&2; exit 1; }
    done
}
