#!/usr/bin/env python3
"""Prints the cold-build benchmark's Markdown table from a tree made by `generate_tree.py
--timed` and the timed events (timed_events.py) of one `pkgtree build --progress json`.

A package's build overhead is the task's own clock (the "seconds" of its finished event:
lock, install root, sources, container start, packing, index) minus its script's own time
(the "script-time START END" line the script printed to its log). Rows are the generator's
layers (each package requires packages of the two layers below it), with the mean number of
transitive dependencies, so the cost of a deep install root shows against a shallow one.
Exits 1 when the run is incomplete.

usage: cold_table.py TREE EVENTS.jsonl
"""
import json
import math
import os
import statistics
import sys


def load_requires(tree: str) -> dict:
    requires = {}
    for name in sorted(os.listdir(tree)):
        path = os.path.join(tree, name, "buildinfo.json")
        if os.path.exists(path):
            with open(path) as handle:
                requires[name] = json.load(handle).get("requires", [])
    return requires


def closure_sizes(requires: dict) -> dict:
    closures = {}
    for name in sorted(requires, key=lambda n: int(n[3:])):  # requirements come earlier in the numbering
        closure = set()
        for requirement in requires[name]:
            closure.add(requirement)
            closure |= closures[requirement]
        closures[name] = closure
    return {name: len(closure) for name, closure in closures.items()}


def script_seconds(log: str) -> float:
    with open(log) as handle:
        for line in handle:
            if line.startswith("script-time "):
                _, start, end = line.split()
                return float(end) - float(start)
    raise ValueError(f"{log} has no script-time line")


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tree, events_path = sys.argv[1:]
    requires = load_requires(tree)
    width = max(10, int(math.sqrt(len(requires)) * 2))  # generate_tree.py's default
    finished, wall, problems = {}, None, []
    with open(events_path) as handle:
        for line in handle:
            event = json.loads(line)
            if event["event"] == "finished":
                finished[event["package"]] = (event["seconds"], event["log"])
            elif event["event"] in ("failed", "skipped", "cached"):
                problems.append(f"{event['package']} {event['event']}")
            elif event["event"] == "exit":
                wall = event["t"]
                if event["status"] != 0:
                    problems.append(f"exit status {event['status']}")
    missing = [name for name in requires if name not in finished]
    if missing or problems:
        print(f"incomplete run: {len(missing)} packages not built (such as {missing[:1]}); {'; '.join(problems[:3])}")
        return 1
    closures = closure_sizes(requires)
    layers = {}
    for name, (seconds, log) in finished.items():
        script = script_seconds(log)
        layers.setdefault(int(name[3:]) // width, []).append((seconds, script, seconds - script, closures[name]))
    print(f"{len(requires)} packages, {len(layers)} layers; cold build wall time {wall:.1f} s\n")
    print("| layer | packages | dependencies (mean) | task (s, mean) | script (s, mean) | overhead (s, mean) | overhead (s, median) | overhead / layer 0 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for layer in sorted(layers):
        rows = layers[layer]
        overhead = statistics.mean(r[2] for r in rows)
        base = base or overhead
        print(f"| {layer} | {len(rows)} | {statistics.mean(r[3] for r in rows):.0f} | {statistics.mean(r[0] for r in rows):.3f} "
              f"| {statistics.mean(r[1] for r in rows):.3f} | {overhead:.3f} | {statistics.median(r[2] for r in rows):.3f} "
              f"| {overhead / base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
