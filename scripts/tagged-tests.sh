#!/usr/bin/env bash
# Prints a regular expression matching every test that carries one of the given Swift Testing
# tags (`container`, `registry`, `slow`: Tests/RegistryTestSupport/TestTags.swift), for
# `swift test --skip` or `--filter`:
#   swift test --skip-build --disable-xctest --skip "$(scripts/tagged-tests.sh container registry slow)"
# swift test's --filter and --skip match test ids, not tags, so this asks the built test bundle
# for its tests and their tags (`--list-tests` with the event stream, which carries the tags),
# and the tags in the sources stay the one place that says what a suite needs.
# Usage: scripts/tagged-tests.sh TAG...   (after `swift build --build-tests`)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/tagged-tests.sh TAG..." >&2; exit 2; }
bundle="$(swift build --show-bin-path)/pkgtreePackageTests.xctest"
[ -x "$bundle" ] || { echo "tagged-tests: no test bundle at $bundle; run swift build --build-tests first" >&2; exit 1; }
events="$(mktemp)"
trap 'rm -f "$events"' EXIT
# Version 99 asks for the experimental fields, the tags among them (Swift 6.3 has no other way).
"$bundle" --testing-library swift-testing --list-tests --event-stream-output-path "$events" \
    --experimental-event-stream-version 99 >/dev/null
python3 - "$events" "$@" <<'PY'
import json, re, sys
events, wanted = sys.argv[1], set(sys.argv[2:])
ids = []
for line in open(events):
    record = json.loads(line)
    if record.get("kind") != "test":
        continue
    test = record["payload"]
    tags = {tag.lstrip(".") for tag in (test.get("tags") or test.get("_tags") or [])}
    if tags & wanted:
        ids.append(test["id"])
if not ids:
    sys.exit("tagged-tests: no test carries any of: " + " ".join(sorted(wanted)))
# A suite's id matches the tests inside it as well; the anchors keep `FooTests` from matching
# `FooTestsToo`.
print("|".join("^" + re.escape(id) + "(/|$)" for id in sorted(ids)))
PY
