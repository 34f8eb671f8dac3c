#!/usr/bin/env bash
# The whole test suite: set up the machine, build, make the builder images the integration
# tests use, and run every Swift Testing suite. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
bash scripts/images.sh "$(swift build --show-bin-path)/pkgtree"
# Every test's scratch goes under one directory, removed when the run ends however it ends:
# a failing or killed test leaves nothing behind in /tmp (runs without this left gigabytes).
scratch="$(mktemp -d "${TMPDIR:-/tmp}/pkgtree-test-run.XXXXXX")"
chmod 755 "$scratch"  # the rootless tests' user reaches its home through it
trap 'rm -rf "$scratch"' EXIT
TMPDIR="$scratch" swift test --skip-build --disable-xctest
