#!/usr/bin/env bash
# The main job on the bundled tree: set up the machine, build pkgtree (release), make the
# builder images, build the whole tree for aarch64 in containers and pack its bootstrap tarball
# (release/bootstrap/aarch64/<id>.bootstrap.tar.xz). Running it again does no work and says
# everything is cached and the bootstrap up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build -c release --product pkgtree
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
"$pkgtree" image build --arch aarch64 --packages packages
"$pkgtree" build --arch aarch64 --packages packages
