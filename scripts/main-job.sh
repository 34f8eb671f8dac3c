#!/usr/bin/env bash
# The main job on the bundled tree: set up the machine, build pkgtree (release) and plan
# the aarch64 build of packages/. (Container builds and the bootstrap tarball extend this
# once the runner and bootstrap work lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build -c release --product pkgtree
pkgtree="$(swift build -c release --show-bin-path)/pkgtree"
"$pkgtree" plan --arch aarch64 --packages packages
"$pkgtree" graph --arch aarch64 --packages packages --format dot > release/packages-aarch64.dot
dot -Tsvg release/packages-aarch64.dot -o release/packages-aarch64.svg
echo "main job: dependency graph drawn to release/packages-aarch64.svg"
