#!/usr/bin/env bash
# Times making one bootstrap tarball of 200 packages of about 1 MB each, for a tree of mixed
# content (40% text, 35% code-like bytes, 25% random) and one of text only
# (generate_tree.py --payload-kind), four ways:
#   pkgpanda  the pkgpanda way (bench/pkgpanda-bootstrap.sh: unpack every package to a
#             temporary directory, then `tar -cJf`, single-threaded xz)
#   anew      `pkgtree bootstrap --no-fragments`: every package's tar.xz streamed into one xz
#             stream compressed anew on every core (how pkgtree made bootstraps before fragments)
#   cold      `pkgtree bootstrap` with no fragment in the cache yet: each package compressed
#             into its fragment (-j cores), then the fragments concatenated
#   changed   `pkgtree bootstrap` after one package changed (a new id, built before timing):
#             one fragment made, 199 copied
# Each tree is built once, for x86_64 with bwrap (a few minutes); only the bootstrap is timed.
# A cold run needs a fragment-free cache: each run uses its own SOURCE_DATE_EPOCH, which is
# part of a fragment's key, and `pkgtree cache gc` drops the fragments of the runs before.
# Prints Markdown tables: wall time, CPU, bytes written, peak RSS (`/usr/bin/time`), output size.
# Usage: bench/bootstrap.sh [RUNS] [KINDS]   (default 1, "mixed text"). BENCH_PACKAGES and
# BENCH_PAYLOAD_KB (default 200 and 1024) make a smaller tree to try the script on.
# Makes the release build and the x86_64 bwrap builder image when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 xz tar bwrap /usr/bin/time
runs="${1:-1}"
kinds="${2:-mixed text}"
count="${BENCH_PACKAGES:-200}" payload_kb="${BENCH_PAYLOAD_KB:-1024}"
out="$PWD/bench/out/bootstrap"
mkdir -p "$out"
# GNU tar's -J runs plain `xz`, single-threaded up to xz 5.4 (the default here); pin it so a
# newer xz whose default is multi-threaded still measures what pkgpanda ran.
export XZ_DEFAULTS=-T1
unset XZ_OPT

bench_release_build "$out"

# measure LABEL COMMAND...: runs COMMAND under /usr/bin/time in a child shell, then appends to
# $out/measures.txt "LABEL wall_s cpu_user_s cpu_sys_s write_bytes peak_rss_kb". The kernel adds
# a reaped child's CPU times and I/O counters to its parent's, so the child shell's own
# /proc/<pid>/stat and /proc/<pid>/io, read once COMMAND has exited, cover its whole process
# tree. write_bytes counts bytes when a page is dirtied, so a temporary file deleted before
# it reached the disk still counts. Peak RSS is the largest process's (GNU time's %M).
measure() {
    local label="$1"
    shift
    sync   # the previous run's dirty pages are not this run's to write back
    bash -c 'start=$(date +%s%N); /usr/bin/time -f "rss_kb %M" -o "$0" "$@" > /dev/null; end=$(date +%s%N)
             echo "wall_ns $((end - start))"; cat "$0" /proc/$$/stat /proc/$$/io' "$out/time.txt" "$@" |
        awk -v label="$label" -v tick="$(getconf CLK_TCK)" '
            /^wall_ns/ { wall = $2 / 1e9 }
            /^rss_kb/ { rss = $2 }
            /^[0-9]+ \(/ { user = $16 / tick; sys = $17 / tick }
            /^write_bytes/ { written = $2 }
            END { printf "%s %.2f %.2f %.2f %d %d\n", label, wall, user, sys, written, rss }' >> "$out/measures.txt"
}

# The tarball's tar stream, whatever its compression: concatenation must not change it.
tar_digest() { xz -dc "$1" | sha256sum | cut -d' ' -f1; }

rm -f "$out/measures.txt" "$out/sizes.txt"
epoch=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for kind in $kinds; do
    tree="$out/tree-$kind-$count-$payload_kb" cache="$out/cache-$kind-$count-$payload_kb" output="$out/output-$kind"
    if [ ! -d "$tree" ]; then
        python3 bench/generate_tree.py "$count" "$tree" --payload-kb "$payload_kb" --payload-kind "$kind" --bootstrap-all
        touch -d '1 hour ago' $(find "$tree" -type f)   # outside the stat cache's racy window
    fi
    bench_images "$tree" bwrap x86_64
    bench_cache "$cache"
    "$pkgtree" build --arch x86_64 -j 4 --runner bwrap --packages "$tree" --cache "$cache" --progress json --no-bootstrap > "$out/build-$kind.jsonl"
    # The package that changes: one nothing requires, so its id alone changes.
    leaf=$(python3 - "$tree" <<'PY'
import json, os, sys
names = sorted(n for n in os.listdir(sys.argv[1]) if os.path.exists(os.path.join(sys.argv[1], n, "buildinfo.json")))
required = {r for n in names for r in json.load(open(os.path.join(sys.argv[1], n, "buildinfo.json"))).get("requires", [])}
print([n for n in names if n not in required][-1])
PY
)
    cp "$tree/$leaf/build" "$out/leaf-build.orig"
    bootstrap=("$pkgtree" bootstrap --arch x86_64 --packages "$tree" --cache "$cache" --output "$output")
    "$pkgtree" plan --arch x86_64 --packages "$tree" --cache "$cache" --json |
        python3 -c '
import glob, json, sys
for package in json.load(sys.stdin)["packages"]:
    if package["bootstrap"]:
        [path] = glob.glob(sys.argv[1] + "/*/" + package["id"] + ".tar.xz")
        print(path)' "$cache/packages/x86_64" > "$out/packages-$kind.txt"
    cat $(cat "$out/packages-$kind.txt") > /dev/null   # warm the page cache
    echo "$kind $(wc -l < "$out/packages-$kind.txt") $(cat $(cat "$out/packages-$kind.txt") | wc -c) \
$(for package in $(cat "$out/packages-$kind.txt"); do xz -dc "$package"; done | wc -c)" >> "$out/sizes.txt"

    for run in $(seq "$runs"); do
        export SOURCE_DATE_EPOCH=$((epoch + run))   # a form no fragment has yet
        "$pkgtree" cache gc --packages "$tree" --cache "$cache" > /dev/null   # drops the last run's fragments
        measure "$kind/pkgpanda" bench/pkgpanda-bootstrap.sh "$out/packages-$kind.txt" "$out/pkgpanda-$kind.tar.xz" "$out" \
            "$out/phases-$kind-$run.txt" -J
        rm -rf "$output"
        measure "$kind/anew" "${bootstrap[@]}" --no-fragments
        anew="$output/bootstrap/x86_64/$(cat "$output/bootstrap/x86_64/bootstrap.latest").bootstrap.tar.xz"
        mv "$anew" "$out/anew-$kind.tar.xz"
        rm -rf "$output"
        measure "$kind/cold" "${bootstrap[@]}"
        cold="$output/bootstrap/x86_64/$(cat "$output/bootstrap/x86_64/bootstrap.latest").bootstrap.tar.xz"
        mv "$cold" "$out/cold-$kind.tar.xz"
        [ "$(tar_digest "$out/cold-$kind.tar.xz")" = "$(tar_digest "$out/anew-$kind.tar.xz")" ] \
            || { echo "the concatenated bootstrap's tar stream differs from the one compressed anew" >&2; exit 1; }
        echo "# run $run of bench/bootstrap.sh: a new id" >> "$tree/$leaf/build"
        touch -d '1 hour ago' "$tree/$leaf/build"
        "$pkgtree" build --arch x86_64 --runner bwrap --packages "$tree" --cache "$cache" --no-bootstrap > /dev/null
        rm -rf "$output"
        measure "$kind/changed" "${bootstrap[@]}"
        cp "$output/bootstrap/x86_64/$(cat "$output/bootstrap/x86_64/bootstrap.latest").bootstrap.tar.xz" "$out/changed-$kind.tar.xz"
        cp "$out/leaf-build.orig" "$tree/$leaf/build"
        touch -d '1 hour ago' "$tree/$leaf/build"
    done
    unset SOURCE_DATE_EPOCH
    # Both ways hold the same package files.
    listing() { tar -tvJf "$1" | awk '$1 ~ /^-/ { sub(/^\.\//, "", $6); if ($6 ~ /^packages\//) print $3, $6 }' | sort; }
    cmp -s <(listing "$out/cold-$kind.tar.xz") <(listing "$out/pkgpanda-$kind.tar.xz") \
        || { echo "pkgtree's and pkgpanda's tarballs hold different package files" >&2; exit 1; }
    xz -t "$out/changed-$kind.tar.xz"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { awk -v label="$1" -v field="$2" '$1 == label { print $field }' "$out/measures.txt" | median; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

printf '%s cores, xz %s, %s run(s) each (medians); load average (1, 5, 15 min) %s before, %s after\n\n' \
    "$(nproc)" "$(xz --version | awk 'NR == 1 { print $4 }')" "$runs" "$load_before" "$load_after"
printf '| tree | way | wall (s) | CPU user+sys (s) | written (MB) | peak RSS (MiB) | output (MB) | output vs anew | speed vs anew | speed vs pkgpanda |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for kind in $kinds; do
    read -r _ count input unpacked < <(grep "^$kind " "$out/sizes.txt")
    for way in pkgpanda anew cold changed; do
        label="$kind/$way"
        file="$out/$way-$kind.tar.xz"
        awk -v tree="$kind ($count x $(mb $((unpacked / count))) MB, $(mb "$input") MB of tar.xz)" -v way="$way" \
            -v wall="$(column "$label" 2)" -v anew="$(column "$kind/anew" 2)" -v pkgpanda="$(column "$kind/pkgpanda" 2)" \
            -v cpu="$(awk -v label="$label" '$1 == label { print $3 + $4 }' "$out/measures.txt" | median)" \
            -v written="$(column "$label" 5)" -v rss="$(column "$label" 6)" -v size="$(stat -c %s "$file")" \
            -v anew_size="$(stat -c %s "$out/anew-$kind.tar.xz")" \
            'BEGIN { printf "| %s | %s | %.2f | %.1f | %.1f | %.0f | %.1f | %+.2f%% | %.1fx | %.1fx |\n", tree, way, wall, cpu,
                     written / 1e6, rss / 1024, size / 1e6, (size / anew_size - 1) * 100, anew / wall, pkgpanda / wall }'
    done
done
