#!/usr/bin/env bash
# Times making one bootstrap tarball of 200 packages of about 1 MB each: `pkgtree bootstrap`
# (release build; streams every cached tar.xz into the output, xz on every core) against the
# pkgpanda way (bench/pkgpanda-bootstrap.sh: unpack to a temporary directory, then
# `tar -cJf`, single-threaded xz), and the pkgpanda way with `tar -I 'xz -T0'` for reference.
# The tree (generate_tree.py --payload-kb 1024) is built once, for x86_64 with bwrap (a few
# minutes); only the bootstrap step is timed. Prints Markdown tables.
# Usage: bench/bootstrap.sh [RUNS]   (default 3). Makes the release build and the x86_64 bwrap
# builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 xz tar bwrap
runs="${1:-3}"
out="$PWD/bench/out/bootstrap"
tree="$out/tree-200"
cache="$out/cache"
output="$out/pkgtree-output"
mkdir -p "$out"
# GNU tar's -J runs plain `xz`, single-threaded up to xz 5.4 (the default here); pin it so a
# newer xz whose default is multi-threaded still measures what pkgpanda ran.
export XZ_DEFAULTS=-T1
unset XZ_OPT

bench_release_build "$out"
bench_tree "$tree" 200 --payload-kb 1024 --bootstrap-all
bench_images "$tree" bwrap x86_64
bench_cache "$cache"
"$pkgtree" build --arch x86_64 -j 4 --runner bwrap --packages "$tree" --cache "$cache" --progress json > "$out/build.jsonl"

bootstrap=("$pkgtree" bootstrap --arch x86_64 --packages "$tree" --cache "$cache" --output "$output")
rm -rf "$output"
"${bootstrap[@]}" > /dev/null   # also names the packages the pkgpanda way gets
id=$(cat "$output/bootstrap/x86_64/bootstrap.latest")
pkgtree_tarball="$output/bootstrap/x86_64/$id.bootstrap.tar.xz"
python3 - "$output/bootstrap/x86_64/$id.active.json" "$cache/packages/x86_64" > "$out/packages.txt" <<'PY'
import glob, json, sys
for package_id in json.load(open(sys.argv[1])):
    [path] = glob.glob(f"{sys.argv[2]}/*/{package_id}.tar.xz")
    print(path)
PY
packages=$(wc -l < "$out/packages.txt")
input_bytes=$(cat $(cat "$out/packages.txt") | wc -c)
unpacked_bytes=$(for package in $(cat "$out/packages.txt"); do xz -dc "$package"; done | wc -c)

# measure NAME COMMAND...: runs COMMAND in a child shell, then appends to $out/measures.txt
# "NAME wall_s cpu_user_s cpu_sys_s write_bytes cancelled_write_bytes". The kernel adds a reaped
# child's CPU times and I/O counters to its parent's, so the child shell's own
# /proc/<pid>/stat (cutime, cstime) and /proc/<pid>/io, read once COMMAND has exited, cover
# COMMAND's whole process tree: pkgtree and its threads, tar and the xz it starts, rm.
# write_bytes counts bytes when a page is dirtied, so a temporary file deleted before it
# reached the disk still counts (and shows again under cancelled_write_bytes).
measure() {
    local name="$1"
    shift
    sync   # the previous run's dirty pages are not this run's to write back
    bash -c 'start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N)
             echo "wall_ns $((end - start))"; cat /proc/$$/stat /proc/$$/io' measure "$@" |
        awk -v name="$name" -v tick="$(getconf CLK_TCK)" '
            /^wall_ns/ { wall = $2 / 1e9 }
            /^[0-9]+ \(/ { user = $16 / tick; sys = $17 / tick }
            /^write_bytes/ { written = $2 }
            /^cancelled_write_bytes/ { cancelled = $2 }
            END { printf "%s %.2f %.2f %.2f %d %d\n", name, wall, user, sys, written, cancelled }' >> "$out/measures.txt"
}

cat $(cat "$out/packages.txt") > /dev/null   # warm the page cache
rm -f "$out/measures.txt" "$out"/phases-*.txt
load_before=$(cut -d' ' -f1 /proc/loadavg)
for run in $(seq "$runs"); do
    rm -rf "$output"   # pkgtree does not write a bootstrap whose id exists
    measure pkgtree "${bootstrap[@]}"
    measure pkgpanda-J bench/pkgpanda-bootstrap.sh "$out/packages.txt" "$out/pkgpanda-J.tar.xz" "$out" \
        "$out/phases-J-$run.txt" -J
    measure pkgpanda-T0 bench/pkgpanda-bootstrap.sh "$out/packages.txt" "$out/pkgpanda-T0.tar.xz" "$out" \
        "$out/phases-T0-$run.txt" -I 'xz -T0'
done
load_after=$(cut -d' ' -f1 /proc/loadavg)

# Both ways hold the same package files.
listing() { tar -tvJf "$1" | awk '$1 ~ /^-/ { sub(/^\.\//, "", $6); if ($6 ~ /^packages\//) print $3, $6 }' | sort; }
cmp -s <(listing "$pkgtree_tarball") <(listing "$out/pkgpanda-J.tar.xz") \
    || { echo "the two tarballs hold different package files" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { awk -v name="$1" -v field="$2" '$1 == name { print $field }' "$out/measures.txt" | median; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
phase() { cat "$out"/phases-"$1"-*.txt | awk -v field="$2" '{ print $field }' | median; }
baseline=$(column pkgpanda-J 2)

printf '%s packages, %s MB of tar.xz in the cache, %s MB unpacked; %s cores, xz %s; load average %s before, %s after\n\n' \
    "$packages" "$(mb "$input_bytes")" "$(mb "$unpacked_bytes")" "$(nproc)" "$(xz --version | awk 'NR == 1 { print $4 }')" \
    "$load_before" "$load_after"
printf '| way | wall (s), median of %s | min–max (s) | CPU user+sys (s) | output (MB) | written to disk (MB) | peak temp dir (MB) | speed-up |\n' "$runs"
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
row() {  # label name output-file peak-temp-dir
    local name="$2" wall
    wall=$(column "$name" 2)
    awk -v label="$1" -v wall="$wall" -v base="$baseline" -v size="$(stat -c %s "$3")" -v temp="$4" \
        -v cpu="$(awk -v name="$name" '$1 == name { print $3 + $4 }' "$out/measures.txt" | median)" \
        -v written="$(column "$name" 5)" \
        -v range="$(awk -v name="$name" '$1 == name { print $2 }' "$out/measures.txt" | sort -n | sed -n '1p;$p' | paste -sd'-' | sed 's/-/–/')" \
        'BEGIN { printf "| %s | %.1f | %s | %.1f | %.1f | %.1f | %s | %.2fx |\n", label, wall, range, cpu, size / 1e6, written / 1e6, temp, base / wall }'
}
row "pkgtree bootstrap (streamed, xz $(nproc) threads)" pkgtree "$pkgtree_tarball" "none"
row "pkgpanda way: unpack, \`tar -cJf\` (xz -T1)" pkgpanda-J "$out/pkgpanda-J.tar.xz" "$(mb "$(phase J 4)")"
row "pkgpanda way: unpack, \`tar -I 'xz -T0'\`" pkgpanda-T0 "$out/pkgpanda-T0.tar.xz" "$(mb "$(phase T0 4)")"

printf '\nThe pkgpanda way by phase (medians, s; temp dir apparent size %s MB):\n\n' "$(mb "$(phase J 5)")"
printf '| way | unpack | tar | rm -rf |\n|---|---:|---:|---:|\n'
printf '| tar -cJf | %s | %s | %s |\n' "$(phase J 1)" "$(phase J 2)" "$(phase J 3)"
printf "| tar -I 'xz -T0' | %s | %s | %s |\n" "$(phase T0 1)" "$(phase T0 2)" "$(phase T0 3)"
