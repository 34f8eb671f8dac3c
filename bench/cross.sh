#!/usr/bin/env bash
# Builds the same C package for aarch64 twice — under QEMU emulation in the aarch64 builder,
# and with the cross toolchain in the x86_64 builder ("cross": true) — and prints a table.
# Usage: bench/cross.sh [SOURCE_FILES] [RUNNER]   (defaults: 48 files, bwrap)
# Makes the release build and both architectures' builder images for RUNNER when missing
# (aarch64 runs under QEMU: scripts/setup.sh registers it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3
files="${1:-48}"
runner="${2:-bwrap}"
out="$PWD/bench/out/cross"
rm -rf "$out" && mkdir -p "$out/packages"

bench_release_build "$out"

# One C project: $files generated translation units of integer and floating-point kernels.
src="$out/project"
mkdir -p "$src"
python3 - "$src" "$files" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    with open(os.path.join(root, f"unit{n}.c"), "w") as f:
        f.write("#include <stdint.h>\n#include <math.h>\n")
        for k in range(40):
            f.write(f"""
double unit{n}_f{k}(const double *v, int len) {{
    double acc = 0;
    for (int i = 0; i < len; i++) {{
        double x = v[i] * {k + 1}.5 + (i % {k + 3});
        acc += sin(x) * cos(x / {k + 2}.0) + sqrt(fabs(x)) / (1.0 + x * x);
        if ((i & {k % 7 + 1}) == 0) acc -= log1p(fabs(acc)) * {n + 1}e-3;
    }}
    return acc;
}}
uint64_t unit{n}_h{k}(uint64_t seed) {{
    for (int r = 0; r < {k + 8}; r++) {{ seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed *= 0x9E3779B97F4A7C15ULL; }}
    return seed;
}}
""")
with open(os.path.join(root, "main.c"), "w") as f:
    f.write("#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }\n")
PY
cat > "$src/Makefile" <<'MAKE'
SRCS := $(wildcard $(SRC)/*.c)
OBJS := $(patsubst $(SRC)/%.c,%.o,$(SRCS))
work: $(OBJS)
	$(CC) -o $@ $(OBJS) -lm
%.o: $(SRC)/%.c
	$(CC) -O2 -c -o $@ $<
MAKE

for variant in emulated cross; do
    package="$out/packages/work-$variant"
    mkdir -p "$package"
    cp -r "$src" "$package/src"
    if [ "$variant" = cross ]; then echo '{"single_source": {"kind": "git_local", "rel_path": "src"}, "cross": true}' > "$package/buildinfo.json"
    else echo '{"single_source": {"kind": "git_local", "rel_path": "src"}}' > "$package/buildinfo.json"; fi
    cat > "$package/build" <<'SCRIPT'
#!/bin/bash
set -euo pipefail
CC=cc
if [ -n "${PKG_BUILD_ARCH:-}" ] && [ "$PKG_BUILD_ARCH" != "$PKG_ARCH" ]; then CC="$PKG_TRIPLET-gcc"; fi
work=$(mktemp -d)
make -C "$work" -f "/pkg/src/$PKG_NAME/Makefile" SRC="/pkg/src/$PKG_NAME" CC="$CC" -j"$NUM_CORES" work
mkdir -p "$PKG_PATH/bin" && cp "$work/work" "$PKG_PATH/bin/"
SCRIPT
done

bench_images "$out/packages" "$runner" x86_64 aarch64
cache="$out/cache"
bench_cache "$cache"
printf '| build of %s C files for aarch64 | runner | seconds |\n|---|---|---:|\n' "$files"
declare -A seconds
for variant in emulated cross; do
    line=$("$pkgtree" build "work-$variant" --arch aarch64 --runner "$runner" --packages "$out/packages" --cache "$cache" | grep "^built ")
    seconds[$variant]=$(echo "$line" | awk '{ print $(NF-1) }')
    printf '| %s | %s | %s |\n' "$variant" "$runner" "${seconds[$variant]}"
done
awk -v e="${seconds[emulated]}" -v c="${seconds[cross]}" 'BEGIN { printf "\ncross is %.1fx faster than emulation\n", e / c }'
