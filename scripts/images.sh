#!/usr/bin/env bash
# Makes the builder images of the bundled tree for x86_64 and aarch64 and readies them for
# every runner: mmdebstrap once per recipe (minutes; kept in cache/images/), then a load into
# podman and into docker (seconds) and a bwrap rootfs. Safe to run again: what exists is reused.
# Usage: scripts/images.sh PKGTREE_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
pkgtree="$1"
for arch in x86_64 aarch64; do
    for runner in podman docker bwrap; do
        "$pkgtree" image build --arch "$arch" --runner "$runner" --packages packages
    done
done
"$pkgtree" image ls
