#!/usr/bin/env bash
# The main job on the bundled tree: set up the machine, build pkgtree (release), make the
# builder images, and build the whole tree for aarch64 in containers. Running it again does
# no work and says everything is cached. (The bootstrap tarball joins once that work lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build -c release --product pkgtree
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
"$pkgtree" image build --arch aarch64 --packages packages
"$pkgtree" build --arch aarch64 --packages packages
