#!/usr/bin/env python3
"""Writes a synthetic pkgpanda-style tree for benchmarks.

N packages in layers; each package requires a few packages of the layers just below it,
has a small build script, a buildinfo.json and an extra/ directory with a few files. The
same N and seed always give the same tree, so benchmark runs compare like with like.

usage: generate_tree.py N OUTPUT_DIR [--seed S]
"""
import argparse
import json
import math
import os
import random
import shutil


def generate(count: int, output: str, seed: int) -> None:
    rng = random.Random(seed)
    if os.path.exists(output):
        shutil.rmtree(output)
    os.makedirs(output)
    width = max(10, int(math.sqrt(count) * 2))
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
            write_package(os.path.join(output, name), name, requires, rng)
    with open(os.path.join(output, "treeinfo.json"), "w") as handle:
        json.dump({"bootstrap_package_list": layers[-1]}, handle)


def write_package(directory: str, name: str, requires: list, rng: random.Random) -> None:
    os.makedirs(os.path.join(directory, "extra"))
    buildinfo = {"requires": requires, "environment": {f"{name.upper()}_HOME": f"/opt/pkgtree/{name}"}}
    if rng.random() < 0.1:
        buildinfo["arch"] = {"aarch64": {"environment": {"SIMD": "neon"}}}
    with open(os.path.join(directory, "buildinfo.json"), "w") as handle:
        json.dump(buildinfo, handle, indent=2)
    script = os.path.join(directory, "build")
    with open(script, "w") as handle:
        handle.write(f"#!/bin/bash\nset -euo pipefail\nmkdir -p \"$PKG_PATH/share/{name}\"\n"
                     f"cp -r /pkg/extra/. \"$PKG_PATH/share/{name}/\"\n")
    os.chmod(script, 0o755)
    for number in range(rng.randint(1, 3)):
        with open(os.path.join(directory, "extra", f"file{number}.txt"), "w") as handle:
            handle.write(f"{name} data {number}\n" * rng.randint(1, 50))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    generate(arguments.count, arguments.output, arguments.seed)


if __name__ == "__main__":
    main()
