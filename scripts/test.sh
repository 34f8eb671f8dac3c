#!/usr/bin/env bash
# The whole test suite: set up the machine, build, make the builder images the integration
# tests use, and run every Swift Testing suite. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
bash scripts/images.sh "$(swift build --show-bin-path)/pkgtree"
swift test --skip-build --disable-xctest
