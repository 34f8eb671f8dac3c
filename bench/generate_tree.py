#!/usr/bin/env python3
"""Writes a synthetic pkgpanda-style tree for benchmarks.

N packages in layers; each package requires a few packages of the layers just below it,
has a small build script, a buildinfo.json and an extra/ directory with a few files. The
same N and seed always give the same tree, so benchmark runs compare like with like.

--width sets the packages per layer (default: max(10, 2*sqrt(N))). --sleep MIN:MAX makes
each build script first sleep a time drawn from [MIN, MAX] seconds (0.1 s steps) and
writes them to sleeps.json beside treeinfo.json, so a scheduler benchmark knows the
critical path; the sleeps come from their own generator, so the tree is otherwise the one
the same N, width and seed give without --sleep.

usage: generate_tree.py N OUTPUT_DIR [--seed S] [--width W] [--sleep MIN:MAX]
"""
import argparse
import json
import math
import os
import random
import shutil


def generate(count: int, output: str, seed: int, width: int = 0, sleep: tuple = None) -> None:
    rng = random.Random(seed)
    sleep_rng = random.Random(seed + 1)
    if os.path.exists(output):
        shutil.rmtree(output)
    os.makedirs(output)
    width = width or max(10, int(math.sqrt(count) * 2))
    sleeps = {}
    layers = []
    for index in range(count):
        layer = index // width
        if layer == len(layers):
            layers.append([])
        layers[layer].append(f"pkg{index:05d}")
    for depth, names in enumerate(layers):
        below = [name for layer in layers[max(0, depth - 2):depth] for name in layer]
        for name in names:
            requires = sorted(rng.sample(below, min(len(below), rng.randint(1, 3)))) if below else []
            if sleep:
                sleeps[name] = round(sleep_rng.uniform(*sleep), 1)
            write_package(os.path.join(output, name), name, requires, rng, sleeps.get(name))
    with open(os.path.join(output, "treeinfo.json"), "w") as handle:
        json.dump({"bootstrap_package_list": layers[-1]}, handle)
    if sleep:
        with open(os.path.join(output, "sleeps.json"), "w") as handle:
            json.dump(sleeps, handle, indent=2)


def write_package(directory: str, name: str, requires: list, rng: random.Random, sleep: float = None) -> None:
    os.makedirs(os.path.join(directory, "extra"))
    buildinfo = {"requires": requires, "environment": {f"{name.upper()}_HOME": f"/opt/pkgtree/{name}"}}
    if rng.random() < 0.1:
        buildinfo["arch"] = {"aarch64": {"environment": {"SIMD": "neon"}}}
    with open(os.path.join(directory, "buildinfo.json"), "w") as handle:
        json.dump(buildinfo, handle, indent=2)
    script = os.path.join(directory, "build")
    with open(script, "w") as handle:
        handle.write("#!/bin/bash\nset -euo pipefail\n" + (f"sleep {sleep}\n" if sleep else "")
                     + f"mkdir -p \"$PKG_PATH/share/{name}\"\ncp -r /pkg/extra/. \"$PKG_PATH/share/{name}/\"\n")
    os.chmod(script, 0o755)
    for number in range(rng.randint(1, 3)):
        with open(os.path.join(directory, "extra", f"file{number}.txt"), "w") as handle:
            handle.write(f"{name} data {number}\n" * rng.randint(1, 50))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--width", type=int, default=0, help="packages per layer")
    parser.add_argument("--sleep", type=sleep_range, metavar="MIN:MAX", help="seconds each build script sleeps")
    arguments = parser.parse_args()
    generate(arguments.count, arguments.output, arguments.seed, arguments.width, arguments.sleep)


def sleep_range(text: str) -> tuple:
    low, _, high = text.partition(":")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not MIN:MAX in seconds, such as 2:8")
    if not 0 < bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: need 0 < MIN <= MAX")
    return bounds


if __name__ == "__main__":
    main()
