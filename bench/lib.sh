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

# bench_registry DIR [secure]: a CNCF distribution registry (Debian's docker-registry) on a
# free loopback port, its storage in DIR/storage, emptied first. Sets $registry_port,
# $registry_pid (the `timeout` that leads it) and $registry_server (the server's own process,
# whose /proc/<pid>/io and stat count what it moves and spends). It logs errors only, so the
# bytes it writes are the bytes it stores or sends. Plain HTTP (clients need
# --tls-verify=false), or with "secure" as a company registry runs: TLS from a CA made for the
# run (DIR/tls/certs.d for --cert-dir) and htpasswd basic auth, its login in DIR/auth.json for
# REGISTRY_AUTH_FILE. Stopped by bench_registry_stop and when the script exits; one a killed
# run left behind is stopped first, and `timeout` ends any after half an hour.
bench_registry() {
    local dir="$1" secure="${2:-}" stale
    bench_require docker-registry python3 timeout
    if stale=$(cat "$dir/registry.pid" 2>/dev/null) && grep -qa "$dir/config.yml" "/proc/$stale/cmdline" 2>/dev/null; then
        kill -- "-$stale" 2>/dev/null || true
    fi
    rm -rf "$dir" && mkdir -p "$dir/storage"
    registry_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$dir/storage" "$registry_port" > "$dir/config.yml"
    if [ "$secure" = secure ]; then
        bench_require openssl htpasswd
        bench_registry_tls "$dir/tls"
        printf '  tls:\n    certificate: %s\n    key: %s\n' "$dir/tls/server.crt" "$dir/tls/server.key" >> "$dir/config.yml"
        local password
        password=$(openssl rand -hex 12)
        htpasswd -Bbn bench "$password" > "$dir/htpasswd" 2>/dev/null
        printf 'auth:\n  htpasswd:\n    realm: pkgtree-bench\n    path: %s\n' "$dir/htpasswd" >> "$dir/config.yml"
        printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$registry_port" "$(printf 'bench:%s' "$password" | base64 -w0)" > "$dir/auth.json"
    fi
    # distribution reads REGISTRY_* variables as configuration: REGISTRY_AUTH_FILE, podman's
    # login file, would become its auth section. None reaches it.
    local unset=() name
    for name in $(compgen -e | grep '^REGISTRY_' || true); do unset+=(-u "$name"); done
    env "${unset[@]}" timeout -s KILL 1800 docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
    registry_pid=$!
    echo "$registry_pid" > "$dir/registry.pid"
    trap bench_registry_stop EXIT
    local _
    for _ in $(seq 100); do
        registry_server=$(cut -d' ' -f1 "/proc/$registry_pid/task/$registry_pid/children" 2>/dev/null || true)
        if [ -n "$registry_server" ] && (exec 3<>"/dev/tcp/127.0.0.1/$registry_port") 2>/dev/null; then return; fi
        kill -0 "$registry_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: the registry did not start:" >&2
    cat "$dir/registry.log" >&2
    exit 1
}

# bench_registry_tls DIR: a CA made for this run and a certificate it signed for 127.0.0.1
# (EC P-256): DIR/server.crt and server.key for the registry, DIR/certs.d (the CA alone) for
# clients' --cert-dir.
bench_registry_tls() {
    local dir="$1"
    mkdir -p "$dir/certs.d"
    (
        cd "$dir"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -subj "/CN=pkgtree bench CA" -days 2
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext
        cp ca.crt certs.d/ca.crt
    ) > /dev/null 2>&1 || { echo "bench: could not make the registry's certificates in $dir" >&2; exit 1; }
}

# bench_registry_stop: stops the registry bench_registry started, if it runs.
bench_registry_stop() {
    [ -n "${registry_pid:-}" ] || return 0
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=
}
