#!/usr/bin/env bash
# Benchmarks packing a ~200 MB directory of mixed files into tar.xz (level 6): pkgtree's packer
# with 2 threads against `tar | xz -6 -T1` and `tar | xz -6 -T2`, and prints a Markdown table.
# Usage: bench/pack.sh [MEGABYTES]   (default 200)
# The pkgtree run is the `packBenchmark` test in a release build (it is skipped unless
# PKGTREE_BENCH_PACK_DIR is set). PKGTREE_BENCH_SCRATCH picks the build directory (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require swift python3 xz tar
megabytes="${1:-200}"
scratch="${PKGTREE_BENCH_SCRATCH:-.build}"
out="$PWD/bench/out"
tree="$out/pack-tree"
mkdir -p "$out"

# The tree: real ELF binaries and libraries (45%), source text (30%), and data that is already
# compressed — .gz files and random bytes (25%). Files are picked in sorted order, so one
# machine always gets the same tree.
rm -rf "$tree"
python3 - "$tree" "$megabytes" <<'PY'
import os, random, shutil, sys
root, total = sys.argv[1], int(sys.argv[2]) << 20
def files(top, keep):
    for directory, subdirs, names in sorted(os.walk(top)):
        subdirs.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path) and keep(path):
                yield path
def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"
def take(budget, *sources):
    used = 0
    for source in sources:
        for path in source:
            size = os.path.getsize(path)
            if size == 0 or size > 16 << 20 or used + size > budget:
                continue
            target = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
            used += size
            if used > budget * 0.98:
                return
take(total * 45 // 100, files("/usr/bin", is_elf), files("/usr/lib/x86_64-linux-gnu", is_elf))
take(total * 30 // 100, files("/usr/include", lambda p: True), files("/usr/lib/python3.11", lambda p: p.endswith(".py")))
take(total * 15 // 100, files("/usr/share/doc", lambda p: p.endswith(".gz")), files("/usr/share/man", lambda p: p.endswith(".gz")))
generator = random.Random(1)
os.makedirs(os.path.join(root, "random"), exist_ok=True)
for index in range(total * 10 // 100 >> 20):
    with open(os.path.join(root, "random", "blob-%03d.bin" % index), "wb") as f:
        f.write(generator.randbytes(1 << 20))
PY
input_bytes=$(du -sb --apparent-size "$tree" | cut -f1)
tar -C "$tree" -cf - . >/dev/null   # warm the page cache

swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch" >"$out/swift-build-tests.log" 2>&1 \
    || { tail -n 40 "$out/swift-build-tests.log" >&2; echo "bench: the release test build failed" >&2; exit 1; }

seconds() {  # wall-clock seconds of `sh -c "$1"`
    local start end
    start=$(date +%s%N)
    sh -c "$1"
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { printf "%.1f", ns / 1e9 }'
}

row() {  # name seconds output-file
    local size
    size=$(stat -c %s "$3")
    awk -v name="$1" -v s="$2" -v input="$input_bytes" -v size="$size" -v base="${4:-$2}" 'BEGIN {
        printf "| %s | %.1f | %.2f | %.1f | %.3f | %.2fx |\n", name, s, input / 1e6 / s, size / 1e6, size / input, base / s }'
}

xz1=$(seconds "tar -C '$tree' -cf - . | xz -6 -T1 > '$out/pack-xz-T1.tar.xz'")
xz2=$(seconds "tar -C '$tree' -cf - . | xz -6 -T2 > '$out/pack-xz-T2.tar.xz'")
log=$(PKGTREE_BENCH_PACK_DIR="$tree" PKGTREE_BENCH_PACK_OUT="$out/pack-pkgtree.tar.xz" PKGTREE_BENCH_PACK_THREADS=2 \
    swift test -c release --skip-build -Xswiftc -enable-testing --scratch-path "$scratch" --disable-xctest --filter packBenchmark 2>&1)
pkgtree=$(printf '%s\n' "$log" | sed -n 's/.*pkgtree-pack seconds=\([0-9.]*\).*/\1/p')
[ -n "$pkgtree" ] || { printf '%s\n' "$log" >&2; exit 1; }
xz -t "$out/pack-pkgtree.tar.xz"

printf 'input: %s files, %.1f MB (%s)\n\n' "$(find "$tree" -type f | wc -l)" "$(awk -v b="$input_bytes" 'BEGIN { print b / 1e6 }')" "$(nproc) cores"
printf '| packer | seconds | MB/s | output (MB) | ratio | speed-up vs xz -T1 |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
row 'tar \| xz -6 -T1' "$xz1" "$out/pack-xz-T1.tar.xz" "$xz1"
row 'tar \| xz -6 -T2' "$xz2" "$out/pack-xz-T2.tar.xz" "$xz1"
row 'pkgtree pack, 2 threads' "$pkgtree" "$out/pack-pkgtree.tar.xz" "$xz1"
