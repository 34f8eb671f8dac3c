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

With --timed each build script prints "script-time START END" (bash's $EPOCHREALTIME at its
first and last line) to its build log, so a benchmark can tell the script's own time from
what pkgtree adds around it.

With --payload-kb K each build script also writes about K KB of generated content into
$PKG_PATH, laid out like a real package (bin/, lib/, include/, share/): 40% text, 35%
code-like bytes that compress about as well as machine code, 25% random bytes (already
compressed data); with --payload-kind text, all of it text. A perl program makes it (the
builder image has perl, not python) from a seed fixed per package, so every build of the tree
writes the same bytes.

usage: generate_tree.py N OUTPUT_DIR [--seed S] [--width W] [--sleep MIN:MAX] [--payload-kb K] [--payload-kind mixed|text] [--bootstrap-all] [--timed]
"""
import argparse
import json
import math
import os
import random
import shutil
import zlib

# Run by each build script with: ROOT NAME SEED KB [KIND]. Kept to perl-base (no modules).
PAYLOAD_PERL = r"""
use strict;
use warnings;
my ($root, $name, $seed, $kb, $kind) = @ARGV;
my $text_only = defined($kind) && $kind eq "text";
srand($seed);  # perl 5.20+ has its own drand48: the same sequence on every machine
my $total = $kb * 1024;
my @words = map { join "", map { chr(97 + int(rand(26))) } 0 .. 1 + int(rand(9)) } 1 .. 4000;
my @ops = map { pack("V", int(rand(4294967296))) } 1 .. 512;
# Low indices come up far more often than high ones, as common words and instructions do.
sub skewed { my ($list) = @_; return $list->[int(rand(@$list) * rand() * rand())] }
sub text {
    my ($bytes) = @_;
    my $out = "";
    $out .= join(" ", map { skewed(\@words) } 0 .. 3 + int(rand(10))) . "\n" while length($out) < $bytes;
    return substr($out, 0, $bytes);
}
sub code {
    my ($bytes) = @_;
    return text($bytes) if $text_only;
    my $out = "";
    $out .= rand() < 0.9 ? skewed(\@ops) : pack("V", int(rand(4294967296))) while length($out) < $bytes;
    return substr($out, 0, $bytes);
}
sub noise { my ($bytes) = @_; return $text_only ? text($bytes) : pack("V*", map { int(rand(4294967296)) } 1 .. $bytes / 4) }
sub put {
    my ($path, $data, $mode) = @_;
    open(my $fh, ">", "$root/$path") or die "$root/$path: $!";
    binmode($fh);
    print $fh $data;
    close($fh) or die "$root/$path: $!";
    chmod($mode // 0644, "$root/$path") or die "$root/$path: $!";
}
put("bin/$name", code($total * 0.15), 0755);
put("lib/lib$name.so.1", code($total * 0.20), 0755);
put("include/$name/$name.h", text($total * 0.05));
put("include/$name/${name}_impl.h", text($total * 0.05));
put("share/$name/README", text($total * 0.10));
put("share/$name/reference.txt", text($total * 0.10));
put(sprintf("share/$name/man/page%02d.txt", $_), text($total * 0.10 / 40)) for 1 .. 40;
put("share/$name/assets.bin", noise($total * 0.25));
"""



def generate(count: int, output: str, seed: int, width: int = 0, sleep: tuple = None,
             payload_kb: int = 0, bootstrap_all: bool = False, payload_kind: str = "mixed", timed: bool = False) -> None:
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
            write_package(os.path.join(output, name), name, requires, rng, sleeps.get(name), seed, payload_kb, payload_kind, timed)
    with open(os.path.join(output, "treeinfo.json"), "w") as handle:
        # Without a list the bootstrap holds every package of the tree.
        json.dump({} if bootstrap_all else {"bootstrap_package_list": layers[-1]}, handle)
    if sleep:
        with open(os.path.join(output, "sleeps.json"), "w") as handle:
            json.dump(sleeps, handle, indent=2)


def write_package(directory: str, name: str, requires: list, rng: random.Random, sleep: float = None,
                  seed: int = 0, payload_kb: int = 0, payload_kind: str = "mixed", timed: bool = False) -> None:
    os.makedirs(os.path.join(directory, "extra"))
    buildinfo = {"requires": requires, "environment": {f"{name.upper()}_HOME": f"/opt/pkgtree/{name}"}}
    if rng.random() < 0.1:
        buildinfo["arch"] = {"aarch64": {"environment": {"SIMD": "neon"}}}
    with open(os.path.join(directory, "buildinfo.json"), "w") as handle:
        json.dump(buildinfo, handle, indent=2)
    script = os.path.join(directory, "build")
    with open(script, "w") as handle:
        handle.write("#!/bin/bash\nset -euo pipefail\n" + ("started=$EPOCHREALTIME\n" if timed else "")
                     + (f"sleep {sleep}\n" if sleep else "")
                     + f"mkdir -p \"$PKG_PATH/share/{name}\"\ncp -r /pkg/extra/. \"$PKG_PATH/share/{name}/\"\n")
        if payload_kb:
            # The seed comes from the name, not from rng, so that trees without a payload stay as they were.
            payload_seed = zlib.crc32(f"{seed}:{name}".encode())
            handle.write(f"mkdir -p \"$PKG_PATH\"/{{bin,lib,include/{name},share/{name}/man}}\n"
                         f"perl - \"$PKG_PATH\" {name} {payload_seed} {payload_kb}{' text' if payload_kind == 'text' else ''}"
                         f" <<'PERL'{PAYLOAD_PERL}PERL\n")
        if timed:
            handle.write("echo \"script-time $started $EPOCHREALTIME\"\n")
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
    parser.add_argument("--payload-kb", type=int, default=0, help="KB of generated content each build writes")
    parser.add_argument("--payload-kind", choices=["mixed", "text"], default="mixed", help="what the payload is made of")
    parser.add_argument("--bootstrap-all", action="store_true", help="no bootstrap_package_list: every package")
    parser.add_argument("--timed", action="store_true", help="scripts print their own start and end time to the log")
    arguments = parser.parse_args()
    generate(arguments.count, arguments.output, arguments.seed, arguments.width, arguments.sleep,
             arguments.payload_kb, arguments.bootstrap_all, arguments.payload_kind, arguments.timed)


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
