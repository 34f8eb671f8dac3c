#!/usr/bin/env bash
# What the remote cache saves a second machine: a generated tree (200 packages, each build
# writing about 256 KB of generated content) built from an empty cache A ("machine A", bwrap,
# -j cores: the cold local build), its artifacts pushed with `pkgtree cache push --all` to an
# empty CNCF distribution registry on loopback (TLS from a CA made for the run, htpasswd
# basic auth), pushed again (everything there), then `pkgtree build` of the same tree on an
# empty cache B ("machine B") with the registry as its remote cache: it pulls all 200 and
# builds nothing (checked, and B's artifacts are A's, byte for byte).
# Per step: wall time; CPU of pkgtree and of the registry; the bytes the registry took in
# (its rchar while a push runs: the request bodies it reads from its sockets, and a few small
# metadata files) and gave out (its wchar while the pull runs: what it writes to its sockets),
# from /proc/<pid>/io of the registry server, which logs errors only and writes nothing else;
# and the loopback interface's byte count over the step (all of the machine's loopback
# traffic: an upper bound when other programs use it).
# Usage: bench/remote-cache.sh [RUNS]   (default 3; medians). BENCH_PACKAGES and
# BENCH_PAYLOAD_KB (default 200 and 256) change the tree. Makes the release build and the
# x86_64 bwrap builder image when missing; the registry it starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_require python3 bwrap sha256sum docker-registry openssl htpasswd
runs="${1:-3}"
count="${BENCH_PACKAGES:-200}" payload_kb="${BENCH_PAYLOAD_KB:-256}"
jobs=$(nproc)
out="$PWD/bench/out/remote-cache"
tree="$out/tree-$count-$payload_kb"
mkdir -p "$out"

bench_release_build "$out"
bench_tree "$tree" "$count" --payload-kb "$payload_kb" --bootstrap-all
bench_images "$tree" bwrap x86_64
[ -f "$out/keys/bench-1.key" ] || "$pkgtree" key generate --name bench-1 --output "$out/keys" > /dev/null

# The registry server's bytes read, bytes written and CPU ticks so far (0 0 0 with none).
registry_counters() {
    if [ -n "${registry_pid:-}" ]; then
        echo "$(awk '/^rchar/ { r = $2 } /^wchar/ { w = $2 } END { print r, w }' "/proc/$registry_server/io") \
$(awk '{ print $14 + $15 }' "/proc/$registry_server/stat")"
    else
        echo 0 0 0
    fi
}
loopback_bytes() { cat /sys/class/net/lo/statistics/rx_bytes; }

# measure STEP COMMAND...: runs COMMAND, its stdout and stderr to $out/STEP.out and .err, and
# appends "STEP wall_s cpu_s registry_in registry_out registry_cpu_s loopback_bytes" to
# $out/measures.txt. The CPU is COMMAND's whole process tree: the kernel adds a reaped
# child's times to its parent's, so the child shell's cutime and cstime, read once COMMAND
# has exited, cover it. Stops the benchmark, showing the error, when COMMAND fails.
measure() {
    local step="$1" before after lo_before lo_after
    shift
    before=$(registry_counters) lo_before=$(loopback_bytes)
    bash -c 'start=$(date +%s%N); status=0; "$@" > "$0.out" 2> "$0.err" || status=$?; end=$(date +%s%N)
             echo "$status $((end - start)) $(cut -d" " -f16,17 /proc/$$/stat)"' "$out/$step" "$@" > "$out/$step.measure"
    after=$(registry_counters) lo_after=$(loopback_bytes)
    read -r status wall_ns cutime cstime < "$out/$step.measure"
    if [ "$status" != 0 ]; then
        tail -n 20 "$out/$step.err" >&2
        echo "bench: $step failed (exit $status; $out/$step.out, .err)" >&2
        exit 1
    fi
    awk -v step="$step" -v wall="$wall_ns" -v cpu=$((cutime + cstime)) -v tick="$(getconf CLK_TCK)" \
        -v before="$before" -v after="$after" -v lo=$((lo_after - lo_before)) 'BEGIN {
            split(before, b, " "); split(after, a, " ")
            printf "%s %.2f %.2f %d %d %.2f %d\n", step, wall / 1e9, cpu / tick, a[1] - b[1], a[2] - b[2], (a[3] - b[3]) / tick, lo
        }' >> "$out/measures.txt"
}

# The sha256 of every artifact of a cache, by path below packages/.
artifact_digests() { (cd "$1/packages" && find . -name '*.tar.xz' -print0 | sort -z | xargs -0 sha256sum); }

rm -f "$out/measures.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
    cache_a="$out/cache-a" cache_b="$out/cache-b"
    rm -rf "$cache_a" "$cache_b"
    bench_cache "$cache_a"
    bench_cache "$cache_b"
    build=("$pkgtree" build --arch x86_64 --runner bwrap -j "$jobs" --no-bootstrap --progress plain --packages "$tree")
    measure cold "${build[@]}" --cache "$cache_a"
    grep -q "$count built, 0 cached" "$out/cold.out" || { echo "bench: the cold build did not build $count packages ($out/cold.out)" >&2; exit 1; }

    bench_registry "$out/registry" secure
    remote=(--remote-cache "oci://127.0.0.1:$registry_port/bench/pkgtree" --cert-dir "$out/registry/tls/certs.d")
    logged_in=(env "REGISTRY_AUTH_FILE=$out/registry/auth.json")
    push=("${logged_in[@]}" "$pkgtree" cache push --all --cache "$cache_a" --packages "$tree" --signing-key "$out/keys/bench-1.key" "${remote[@]}")
    measure push "${push[@]}"
    grep -q "pushed $count of $count artifact(s)" "$out/push.out" || { echo "bench: the push did not push $count artifacts ($out/push.out)" >&2; exit 1; }
    measure push-again "${push[@]}"
    measure pull "${logged_in[@]}" "${build[@]}" --cache "$cache_b" --trusted-key "$out/keys/bench-1.pub" "${remote[@]}"
    grep -q "pulled $count package(s)" "$out/pull.err" && grep -q "0 built, $count cached" "$out/pull.out" \
        || { echo "bench: the build on cache B did not pull all $count packages ($out/pull.out, .err)" >&2; exit 1; }
    cmp -s <(artifact_digests "$cache_a") <(artifact_digests "$cache_b") \
        || { echo "bench: cache B's artifacts differ from cache A's" >&2; exit 1; }
    storage=$(find "$out/registry/storage" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    bench_registry_stop
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column() { awk -v s="$1" -v f="$2" '$1 == s { print $f }' "$out/measures.txt" | median; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
artifacts=$(find "$cache_a/packages" -name '*.tar.xz' -printf '%s\n' | awk '{ s += $1 } END { print s }')
printf '%s packages (generate_tree.py --payload-kb %s), %s MB of tar.xz artifacts; registry storage after the push (files) %s MB;\n' \
    "$count" "$payload_kb" "$(mb "$artifacts")" "$(mb "$storage")"
printf 'pkgtree said: %s; %s. %s cores, load average %s before, %s after.\n\n' \
    "$(sed -n 's/.*(.*already there), \(.*\)$/\1/p' "$out/push.out")" "$(grep -o 'pulled [0-9]* package(s) from [^,]*, .*' "$out/pull.err" | sed 's/ from [^,]*,/,/')" \
    "$(nproc)" "$load_before" "$load_after"
printf '| step (median of %s) | wall (s) | vs cold build | pkgtree CPU (s) | registry CPU (s) | into the registry (MB) | out of the registry (MB) | loopback, all (MB) |\n' "$runs"
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
cold=$(column cold 2)
# row STEP LABEL INTO OUT_OF: a row of the table; the wall time is compared with the cold
# build's on the pulling build's row only, the one that replaces it.
row() {
    local step="$1" label="$2" into="$3" out_of="$4" wall speedup=- registry_cpu=-
    wall=$(column "$step" 2)
    [ "$step" = pull ] && speedup=$(awk -v c="$cold" -v w="$wall" 'BEGIN { printf "%.1fx faster", c / w }')
    [ "$step" = cold ] || registry_cpu=$(column "$step" 6)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$wall" "$speedup" "$(column "$step" 3)" "$registry_cpu" \
        "$into" "$out_of" "$(mb "$(column "$step" 7)")"
}
row cold "cold local build, empty cache A (bwrap, -j $jobs)" - -
row push "push all $count to an empty registry (cache push --all)" "$(mb "$(column push 4)")" -
row push-again "push again, all there" "$(mb "$(column push-again 4)")" -
row pull "build on an empty cache B: pulls all $count, builds none" - "$(mb "$(column pull 5)")"
