#!/usr/bin/env bash
# The whole test suite: set up the machine, build, and run every Swift Testing suite.
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
swift test --skip-build --disable-xctest
