#!/usr/bin/env python3
"""Writes the seed corpora fuzz/seeds/loader and fuzz/seeds/archive (committed; rerun after
changing this file). Loader seeds are the tree's own JSON files plus the shapes the tests
use; archive seeds are small tar, tar.gz, tar.xz, tar.bz2, tar.zst and zip files, honest and
hostile (the cases Tests/PkgTreeKitTests/Archive/ArchiveHostileTests.swift crafts), kept small
because libFuzzer mutates every byte."""
import bz2, gzip, io, lzma, os, pathlib, shutil, subprocess, sys, tarfile, tempfile, zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"

LOADER = {
    "empty": "",
    "object": "{}",
    "requires": '{"requires": ["libgreet", {"name": "config", "variant": "installer"}, {"name": "z", "variant": null}]}',
    "single-git-local": '{"single_source": {"kind": "git_local", "rel_path": "src"}}',
    "sources-all-kinds": """{"sources": {
  "u": {"kind": "url", "url": "http://127.0.0.1/x.tgz", "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
  "x": {"kind": "url_extract", "url": "http://127.0.0.1/x.tar.xz", "sha1": "0123456789abcdef0123456789abcdef01234567"},
  "g": {"kind": "git", "git": "https://127.0.0.1/r.git", "ref": "0123456789abcdef0123456789abcdef01234567", "ref_origin": "main"},
  "l": {"kind": "git_local", "rel_path": "."}}}""",
    "arch-overlay": """{"docker": "debian:bookworm", "architectures": ["x86_64", "arm64", "armhf", "ppc64el", "s390x", "riscv64"],
  "environment": {"CC": "gcc"},
  "arch": {"aarch64": {"environment": {"CC": "aarch64-linux-gnu-gcc"}, "cross": true},
           "amd64": {"single_source": {"kind": "url", "url": "http://127.0.0.1/a", "sha256": "ab"}}}}""",
    "every-field": """{"requires": [], "docker": "img:1", "build_script": "scripts/build.sh", "state_directory": true,
  "username": "dcos_svc", "group": "dcos-grp", "sysctl": {"svc": {"vm.max_map_count": 262144, "net.x": "1", "f": 1.5}},
  "version_extra": "1.2.3+git~r1", "cross": false, "network": true}""",
    "bad-types": '{"state_directory": "yes", "requires": "libc", "cross": 1, "environment": {"A": 1}, "arch": []}',
    "bad-names": '{"requires": ["a--b", "-x", ".y", "b c", ""], "version_extra": "-bad--", "username": "Root", "build_script": "../x"}',
    "typos": '{"require": [], "sorces": {}, "single_source": {"kind": "url_extrct", "url": "u"}, "dockr": "x"}',
    "both-sources": '{"single_source": {"kind": "git_local", "rel_path": "."}, "sources": {"b": {"kind": "git_local", "rel_path": "."}}}',
    "overlay-errors": '{"arch": {"arm64": {"arch": {}}, "aarch64": {"architectures": []}, "sparc": {}, "x86_64": 3}}',
    "malformed": '{\n  "requires": ["a",, "b"]\n}',
    "numbers": '{"sysctl": {"s": {"a": 1e15, "b": -0.0, "c": 1.0, "d": 12345678901234567890, "e": 2.5e-308}}}',
    "strings": '{"environment": {"q": "\\"\\\\\\n\\t\\u0001\\u00e9\\ud83d\\ude00", "\\u0000": ""}}',
    "treeinfo": '{"exclude": ["a"], "core_package_list": ["b", "c"], "bootstrap_package_list": [], "variants": {"c": "installer", "d": null}, "install_root": "/opt/mesosphere/", "default_builder": {"suite": "bookworm", "packages": ["gcc", "make"]}}',
    "treeinfo-errors": '{"exclude": ["a"], "core_package_list": ["a"], "core_packages": [], "variants": {"a": 1}, "install_root": "/a/../b", "default_builder": {"suite": "", "packages": [1], "x": 2}}',
    "treeinfo-reference": '{"default_builder": "docker.io/library/debian@sha256:0123", "install_root": "/"}',
    "deep": '{"sysctl": {"a": {"b": [[[[{"c": [null, true, false]}]]]]}}}',
}

def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data if isinstance(data, bytes) else data.encode())

def loader_seeds():
    target = SEEDS / "loader"
    shutil.rmtree(target, ignore_errors=True)
    for path in sorted((ROOT / "packages").rglob("*.json")):
        write(target, "tree-" + "-".join(path.relative_to(ROOT / "packages").parts), path.read_bytes())
    for name, text in LOADER.items():
        write(target, name + ".json", text)

# --- archives -------------------------------------------------------------------------------

def tar_bytes(entries, fmt=tarfile.GNU_FORMAT):
    """entries: (name, type, data-or-link, mode). The record padding after the end marker is
    cut: libarchive does not need it and the fuzzer should not spend mutations on it."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as tar:
        for name, kind, payload, mode in entries:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = kind, mode, 1700000000
            if kind == tarfile.REGTYPE:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
            else:
                if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                    info.linkname = payload
                if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                    info.devmajor, info.devminor = 1, 3
                tar.addfile(info)
        end = tar.offset
    return buffer.getvalue()[:end] + b"\0" * 1024

F, D, S, H = tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
TREE = [("./", D, b"", 0o755), ("bin", D, b"", 0o755), ("bin/hello", F, b"#!/bin/sh\necho hi\n", 0o755),
        ("lib", D, b"", 0o755), ("lib/libz.so.1.3", F, b"\x7fELF", 0o644), ("lib/libz.so.1", S, "libz.so.1.3", 0o777),
        ("bin/lib", S, "../lib", 0o777), ("lib/hard", H, "lib/libz.so.1.3", 0o644), ("empty", F, b"", 0o600)]

HOSTILE = {
    "dotdot": [("../escaped.txt", F, b"x", 0o644)],
    "nested-dotdot": [("a", D, b"", 0o755), ("a/../../escaped.txt", F, b"x", 0o644)],
    "absolute": [("/tmp/absolute.txt", F, b"x", 0o644)],
    "symlink-outside": [("link", S, "../", 0o777)],
    "symlink-deep-outside": [("a/b/link", S, "../../../outside.txt", 0o777)],
    "symlink-absolute": [("link", S, "/etc", 0o777)],
    "symlink-dot-trick": [("s", S, ".", 0o777), ("t", S, "s/..", 0o777)],
    "through-symlink": [("sub", D, b"", 0o755), ("link", S, "sub", 0o777), ("link/file.txt", F, b"x", 0o644)],
    "through-symlink-replaced": [("d", D, b"", 0o755), ("d", S, ".", 0o777), ("d/file.txt", F, b"x", 0o644)],
    "hardlink-outside": [("h", H, "../outside.txt", 0o644)],
    "hardlink-forward": [("h", H, "later.txt", 0o644), ("later.txt", F, b"x", 0o644)],
    "hardlink-to-dir": [("d", D, b"", 0o755), ("h", H, "d", 0o644)],
    "chardev": [("null", tarfile.CHRTYPE, b"", 0o666)],
    "fifo": [("pipe", tarfile.FIFOTYPE, b"", 0o644)],
    "root-file": [(".", F, b"x", 0o644)],
    "setuid": [("shared", D, b"", 0o3777), ("shared/su", F, b"hi", 0o4755), ("plain", F, b"hi", 0o640)],
    "replace-kinds": [("x", F, b"file", 0o644), ("x", D, b"", 0o755), ("x/y", F, b"y", 0o644), ("x", S, "x/y", 0o777)],
    "unwritable-dir": [("ro", D, b"", 0o000), ("ro/f", F, b"x", 0o000)],
}

def sparse_tars():
    """GNU and PAX sparse files, which only GNU tar writes."""
    out = {}
    with tempfile.TemporaryDirectory() as work:
        path = pathlib.Path(work, "sparse")
        with open(path, "wb") as f:
            f.seek(8192); f.write(b"data"); f.seek(20000); f.write(b"end")
        os.utime(path, (1700000000, 1700000000))
        for fmt in ("gnu", "posix"):
            archive = pathlib.Path(work, fmt + ".tar")
            subprocess.run(["tar", "--sparse", "--format=" + fmt, "--owner=0", "--group=0", "--numeric-owner",
                            "--blocking-factor=1", "-C", work, "-cf", archive, "sparse"], check=True)
            out["sparse-" + fmt + ".tar"] = archive.read_bytes()
    return out

def sparse_past_declared_size():
    """A PAX 1.0 sparse file whose one data block lies past the size it declares."""
    data = b"1\n100000\n5\n".ljust(512, b"\0") + b"A" * 5
    info = tarfile.TarInfo("GNUSparseFile.0/sparse")
    info.size, info.mtime = len(data), 1700000000
    info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": "sparse",
                        "GNU.sparse.realsize": "10"}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(data))
        end = tar.offset
    return buffer.getvalue()[:end] + b"\0" * 1024

def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.external_attr = mode << 16
            info.create_system = 3
            archive.writestr(info, data, compress_type=compression)
    return buffer.getvalue()

def zip_lying_size(name, real, declared):
    """A deflated zip entry of `real` bytes whose headers declare `declared`."""
    data = bytearray(zip_bytes([(name, b"b" * real, 0o100644)]))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 22:local + 26] = declared.to_bytes(4, "little")
    data[central + 24:central + 28] = declared.to_bytes(4, "little")
    return bytes(data)

def zip_bad_crc():
    """A stored zip entry with one byte of its data changed after the CRC was computed."""
    data = bytearray(zip_bytes([("a.txt", b"hello world\n" * 10, 0o100644)], zipfile.ZIP_STORED))
    data[data.find(b"hello")] = ord("j")
    return bytes(data)

def archive_seeds():
    target = SEEDS / "archive"
    shutil.rmtree(target, ignore_errors=True)
    tree = tar_bytes(TREE)
    write(target, "tree.tar", tree)
    write(target, "tree-ustar.tar", tar_bytes(TREE, tarfile.USTAR_FORMAT))
    write(target, "tree-pax.tar", tar_bytes(TREE + [("d/" + "n" * 120, F, b"long", 0o644),
                                                     ("d/l", S, "../" + "t" * 110, 0o777)], tarfile.PAX_FORMAT))
    write(target, "longname-gnu.tar", tar_bytes([("d" * 150, D, b"", 0o755), ("d" * 150 + "/f", F, b"x", 0o644),
                                                  ("l", S, "d" * 150 + "/f", 0o777)]))
    write(target, "tree.tar.gz", gzip.compress(tree, mtime=0))
    write(target, "tree.tar.xz", lzma.compress(tree))
    write(target, "tree.tar.bz2", bz2.compress(tree))
    write(target, "tree.tar.zst", subprocess.run(["zstd", "-q", "-c"], input=tree, capture_output=True, check=True).stdout)
    write(target, "tree.tar.gz.xz", lzma.compress(gzip.compress(tree, mtime=0)))
    write(target, "bomb.tar.bz2", bz2.compress(tar_bytes([("zeros", F, b"\0" * 1_000_000, 0o644)])))
    for name, data in sparse_tars().items():
        write(target, name, data)
    for name, entries in HOSTILE.items():
        write(target, "hostile-" + name + ".tar", tar_bytes(entries))
    truncated = tar_bytes([("ok.txt", F, b"x", 0o644), ("big.bin", F, b"q" * 4000, 0o644)])[:512 * 3 + 1000]
    write(target, "hostile-truncated.tar.gz", gzip.compress(truncated, mtime=0))
    members = [("dir/", b"", 0o040755), ("dir/file.txt", b"hello\n" * 10, 0o100644),
               ("dir/link", b"file.txt", 0o120777), ("exec", b"#!/bin/sh\n", 0o104755)]
    write(target, "tree-deflate.zip", zip_bytes(members))
    write(target, "tree-stored.zip", zip_bytes(members, zipfile.ZIP_STORED))
    write(target, "hostile-zip-dotdot.zip", zip_bytes([("../escaped.txt", b"x", 0o100644),
                                                       ("up", b"../../outside.txt", 0o120777)], zipfile.ZIP_STORED))
    write(target, "hostile-zip-lying-size.zip", zip_lying_size("bomb.txt", 20000, 10))
    write(target, "hostile-zip-shorter-than-declared.zip", zip_lying_size("b.txt", 10, 20000))
    write(target, "hostile-zip-bad-crc.zip", zip_bad_crc())
    write(target, "hostile-sparse-past-declared-size.tar", sparse_past_declared_size())

if __name__ == "__main__":
    loader_seeds()
    archive_seeds()
    for kind in ("loader", "archive"):
        files = list((SEEDS / kind).iterdir())
        print(f"{kind}: {len(files)} seeds, largest {max(f.stat().st_size for f in files)} bytes", file=sys.stderr)
