#!/usr/bin/env bash
# Benchmarks packing a ~200 MB directory of mixed files into tar.xz (level 6): pkgtree's packer,
# as a build stores its output, against `tar | xz -6 -T1` and `tar | xz -6 -T2`, and prints a
# Markdown table.
# Usage: bench/pack.sh [MEGABYTES]   (default 200)
# pkgtree's row is a real `pkgtree build` (release, bwrap, x86_64, fresh cache) of one package
# whose script copies the directory into $PKG_PATH and prints the time as it ends: the row is
# the time from there to the artifact stored (metadata, output checks, pack with one thread per
# core, hash, index), taken when the `finished` event arrives. Makes the release build and the
# x86_64 bwrap builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 xz tar bwrap
megabytes="${1:-200}"
out="$PWD/bench/out"
packages="$out/pack-tree"
tree="$packages/pack/extra"
cache="$out/pack-cache"
mkdir -p "$out"

# The tree: real ELF binaries and libraries (45%), source text (30%), and data that is already
# compressed — .gz files and random bytes (25%). Files are picked in sorted order, so one
# machine always gets the same tree.
rm -rf "$packages"
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

# The package: its extra/ is the directory (at /pkg/extra in the build); the script's last line
# is the wall-clock time it ended, in the build log.
echo '{}' > "$packages/treeinfo.json"
echo '{}' > "$packages/pack/buildinfo.json"
cat > "$packages/pack/build" <<'SH'
cp -a /pkg/extra/. "$PKG_PATH/"
echo "pkgtree-bench script-end-ns=$(date +%s%N)"
SH
bench_release_build "$out"
bench_images "$packages" bwrap x86_64

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
rm -rf "$cache" && bench_cache "$cache"
pkgtree_seconds=$(python3 - "$pkgtree" build --arch x86_64 --runner bwrap --packages "$packages" --cache "$cache" \
    --no-bootstrap --progress json <<'PY'
import json, subprocess, sys, time
finished = None
with subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True) as build:
    for line in build.stdout:
        event = json.loads(line)
        if event.get("event") == "finished":
            finished = (time.time_ns(), event["log"])
if build.returncode != 0 or finished is None:
    sys.exit("bench: pkgtree build failed (status %d)" % build.returncode)
arrived, log = finished
ends = [int(line.split("=", 1)[1]) for line in open(log) if line.startswith("pkgtree-bench script-end-ns=")]
if not ends:
    sys.exit("bench: the build log %s has no script-end line" % log)
print("%.1f" % ((arrived - ends[-1]) / 1e9))
PY
)
find "$cache/packages" -name '*.tar.xz' -exec cp {} "$out/pack-pkgtree.tar.xz" \;
xz -t "$out/pack-pkgtree.tar.xz"

printf 'input: %s files, %.1f MB (%s)\n\n' "$(find "$tree" -type f | wc -l)" "$(awk -v b="$input_bytes" 'BEGIN { print b / 1e6 }')" "$(nproc) cores"
printf '| packer | seconds | MB/s | output (MB) | ratio | speed-up vs xz -T1 |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
row 'tar \| xz -6 -T1' "$xz1" "$out/pack-xz-T1.tar.xz" "$xz1"
row 'tar \| xz -6 -T2' "$xz2" "$out/pack-xz-T2.tar.xz" "$xz1"
row "pkgtree build, store step ($(nproc) threads)" "$pkgtree_seconds" "$out/pack-pkgtree.tar.xz" "$xz1"
