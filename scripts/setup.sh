#!/usr/bin/env bash
# Installs what pkgtree needs to build and test on Debian 12. Safe to run again: it only
# installs what is missing, and needs the network only then.
set -euo pipefail

packages=(
    libarchive-dev   # the archive layer (CArchive system library)
    libsqlite3-dev   # the cache index, through GRDB
    pkg-config       # how SwiftPM finds libarchive
    graphviz         # `pkgtree graph --format dot` is checked by rendering it
    python3          # bench/generate_tree.py
    git
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
