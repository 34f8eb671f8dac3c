#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (see fuzz/README.md).
#
#   fuzz/run.sh [loader|archive|all] [seconds]      default: all, 600 seconds per target
#
# Each target runs with one worker from its seed corpus (fuzz/seeds/<target>) into
# fuzz/corpus-<target> (kept between runs, not committed) with its dictionary; crash, timeout
# and out-of-memory inputs land in fuzz/findings/. Prints executions, exec/s, coverage and
# findings per target; exits 1 when a target found something. Extra libFuzzer flags can be
# passed in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2").
set -euo pipefail

cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-600}
case "$target" in
    loader | archive) targets=("$target") ;;
    all) targets=(loader archive) ;;
    *) echo "usage: fuzz/run.sh [loader|archive|all] [seconds]" >&2; exit 2 ;;
esac

product() { case "$1" in loader) echo FuzzLoader ;; archive) echo FuzzArchive ;; esac; }

# The targets exist only when PKGTREE_FUZZ=1 (their main comes from libFuzzer); their own
# scratch path keeps the instrumented build away from the normal .build.
build() {
    mkdir -p fuzz/findings
    echo "== $1: building $(product "$1") (log: fuzz/findings/build.log)" >&2
    if ! PKGTREE_FUZZ=1 swift build -c debug --scratch-path .build-fuzz --product "$(product "$1")" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing >fuzz/findings/build.log 2>&1; then
        grep -E 'error:' fuzz/findings/build.log >&2 || tail -n 20 fuzz/findings/build.log >&2
        exit 2
    fi
}

# Extraction writes a file tree per input: a tmpfs makes that cheap when there is one.
scratch_parent=${PKGTREE_FUZZ_SCRATCH:-$([ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
scratch=$(mktemp -d "$scratch_parent/pkgtree-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

run() {
    local name=$1 binary log
    binary=.build-fuzz/debug/$(product "$name")
    log=fuzz/findings/$name.log
    mkdir -p "fuzz/corpus-$name" fuzz/findings
    echo "== $name: fuzzing for $seconds s (log: $log)" >&2
    local status=0
    # Swift's runtime keeps caches that LeakSanitizer reports as leaks at exit: leaks are
    # not findings here (ASan still reports every out-of-bounds access and use after free).
    # Swift's own backtracer is off: libFuzzer prints the stack, and the backtracer can
    # outlive a crashed target holding its output open.
    PKGTREE_FUZZ_SCRATCH=$scratch ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" \
        "fuzz/corpus-$name" "fuzz/seeds/$name" \
        -dict="fuzz/dict/$name.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/findings/$name-" -print_final_stats=1 ${FUZZ_FLAGS:-} \
        >"$log" 2>&1 || status=$?
    summarize "$name" "$log"
    return "$status"
}

summarize() {
    local name=$1 log=$2
    local done_line execs rate corpus findings
    done_line=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    corpus=$(find "fuzz/corpus-$name" -type f | wc -l)
    findings=$(find fuzz/findings -maxdepth 1 -name "$name-*" -type f | wc -l)
    echo "$name: executions ${execs:-?}, ${rate:-?} exec/s, $(echo "$done_line" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')," \
        "corpus $corpus files, findings $findings (fuzz/findings/$name-*)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*: Fatal error)' "$log" | head -n 5 || true
}

for name in "${targets[@]}"; do build "$name"; done
failed=0
for name in "${targets[@]}"; do run "$name" || failed=1; done
exit "$failed"
