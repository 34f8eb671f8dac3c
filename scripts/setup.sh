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
    mmdebstrap       # builder images without a registry
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

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        [ -x "$candidate/swift" ] && export PATH="$candidate:$PATH" && break
    done
fi
command -v swift >/dev/null 2>&1 || {
    echo "setup: Swift 6.1 or later is needed (swift not found on PATH); install a toolchain and retry" >&2
    exit 2
}
