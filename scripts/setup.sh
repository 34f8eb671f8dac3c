#!/usr/bin/env bash
# Installs and configures what pkgtree needs on Debian 12: build dependencies, the container
# runners (podman with runc, bubblewrap), QEMU user emulation registered through binfmt_misc,
# and mmdebstrap for builder images. Safe to run again: it only does what is missing, and
# needs the network only for apt.
set -euo pipefail

packages=(
    libarchive-dev   # the archive layer (CArchive system library)
    libsqlite3-dev   # the cache index, through GRDB
    pkg-config       # how SwiftPM finds libarchive
    graphviz         # `pkgtree graph --format dot` is checked by rendering it
    python3          # bench/generate_tree.py, test HTTP servers
    python3-jsonschema  # tests validate release.json against docs/release.schema.json
    git              # git sources
    podman runc uidmap slirp4netns   # the podman runner (runc: crun fails on this VM kind)
    bubblewrap       # the bwrap runner
    qemu-user-static binfmt-support  # foreign-architecture builds under emulation
    docker.io containerd             # the docker runner (Debian's engine, 20.10)
    mmdebstrap       # builder images without a registry
    arch-test        # mmdebstrap needs it for foreign architectures (only a recommendation)
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross  # host cross toolchain: the ELF-check tests cross-compile
    dpkg-dev         # `apt-get source`: tests build real upstream sources (zlib) served on loopback
    iproute2 procps  # the tests look at processes and sockets
    docker-registry  # the remote-cache tests run a real OCI registry (CNCF distribution 2.8) on loopback
    skopeo           # an independent OCI client: the tests read what pkgtree pushed with it
    apache2-utils    # htpasswd -B: bcrypt credentials for the test registry's basic auth
    openssl          # the test registry's CA and TLS certificates; checking a release's signature
    tmux             # the `pkgtree shell` tests drive a shell through a terminal and send it ^C
    time             # GNU time: bench/bootstrap.sh measures peak RSS with it
    python3-venv     # the venv that holds pyspdxtools (below)
    zstd             # the tests read back zstd image layers
    xz-utils file
)

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# QEMU handlers: binfmt_misc must be mounted, and the aarch64 handler enabled (flags F, so it
# also works inside containers and bwrap sandboxes).
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    "${as_root[@]}" mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
for handler in qemu-aarch64; do
    if ! grep -q '^enabled' "/proc/sys/fs/binfmt_misc/$handler" 2>/dev/null; then
        "${as_root[@]}" update-binfmts --enable "$handler"
    fi
done

# podman here needs no default ulimits (the VM lacks CAP_SYS_RESOURCE); pkgtree.json points
# CONTAINERS_CONF at this file.
if [ ! -f /etc/containers/pkgtree.conf ]; then
    "${as_root[@]}" mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n' | "${as_root[@]}" tee /etc/containers/pkgtree.conf >/dev/null
fi

# The docker runner needs a running engine. No init system starts one here, so start containerd
# and dockerd with the options that work on this VM kind (cgroupfs, no iptables, no bridge:
# builds run with --network none). Nothing is started when an engine already answers.
if ! docker info >/dev/null 2>&1; then
    if ! pgrep -x containerd >/dev/null; then
        "${as_root[@]}" sh -c 'nohup containerd >/var/log/pkgtree-containerd.log 2>&1 &'
        for _ in $(seq 50); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.2; done
    fi
    if ! pgrep -x dockerd >/dev/null; then
        "${as_root[@]}" sh -c 'nohup dockerd --containerd=/run/containerd/containerd.sock \
            --exec-opt native.cgroupdriver=cgroupfs --iptables=false --bridge=none \
            >/var/log/pkgtree-dockerd.log 2>&1 &'
    fi
    for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.3; done
    docker info >/dev/null 2>&1 || {
        echo "setup: the Docker engine did not start; see /var/log/pkgtree-dockerd.log" >&2
        exit 1
    }
fi

# The release tests check pkgtree's SBOMs with an independent SPDX validator: pyspdxtools, from
# PyPI's spdx-tools (Debian packages none). It goes into a venv of its own under a fixed prefix,
# pinned: Debian's Python refuses pip installs into the system (PEP 668), and a venv touches
# nothing apt manages, so --break-system-packages is not needed. Linked into /usr/local/bin.
spdx_tools_version=0.8.5
spdx_venv=/opt/pkgtree-tools/spdx-tools
if ! "$spdx_venv/bin/pip" show spdx-tools 2>/dev/null | grep -qx "Version: $spdx_tools_version"; then
    echo "setup: installing spdx-tools $spdx_tools_version into $spdx_venv"
    "${as_root[@]}" /usr/bin/python3 -m venv "$spdx_venv"
    "${as_root[@]}" "$spdx_venv/bin/pip" install --quiet --disable-pip-version-check "spdx-tools==$spdx_tools_version"
fi
if [ "$(readlink /usr/local/bin/pyspdxtools 2>/dev/null)" != "$spdx_venv/bin/pyspdxtools" ]; then
    "${as_root[@]}" ln -sfn "$spdx_venv/bin/pyspdxtools" /usr/local/bin/pyspdxtools
fi

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH" && break
    done
fi
command -v swift >/dev/null 2>&1 || {
    echo "setup: Swift 6.1 or later is needed (swift not found on PATH); install a toolchain and retry" >&2
    exit 2
}
