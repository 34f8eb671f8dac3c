import Foundation
import Testing
@testable import PkgTreeKit

/// Hostile archives, crafted with Python's `tarfile`/`zipfile` because no honest tool writes
/// them. Each is extracted into `work/dest`; whatever the outcome, nothing else under `work/`
/// (the sentinel directory, holding `outside.txt`) may change.
@Suite struct ArchiveHostileTests {
    /// Python that writes the case named argv[1] to argv[2]; argv[3] is the sentinel directory
    /// (for absolute paths into it). `add(name, data=..., type=..., link=..., mode=...)`.
    static let craft = #"""
import io, sys, tarfile, zipfile
case, out, work = sys.argv[1], sys.argv[2], sys.argv[3]
tar = tarfile.open(out, "w:gz") if not case.startswith("zip") else None
def add(name, data=b"x", type=tarfile.REGTYPE, link="", mode=0o644):
    info = tarfile.TarInfo(name); info.type = type; info.linkname = link; info.mode = mode
    if type == tarfile.REGTYPE:
        info.size = len(data); tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)
if case == "dotdot": add("../escaped.txt")
elif case == "nested-dotdot": add("a", type=tarfile.DIRTYPE, mode=0o755); add("a/../../escaped.txt")
elif case == "absolute": add(work + "/absolute.txt")
elif case == "symlink-outside": add("link", type=tarfile.SYMTYPE, link="../")
elif case == "symlink-deep-outside": add("a/b/link", type=tarfile.SYMTYPE, link="../../../outside.txt")
elif case == "symlink-absolute": add("link", type=tarfile.SYMTYPE, link=work)
elif case == "symlink-dot-trick": add("s", type=tarfile.SYMTYPE, link="."); add("t", type=tarfile.SYMTYPE, link="s/..")
elif case == "through-symlink":
    add("sub", type=tarfile.DIRTYPE, mode=0o755); add("link", type=tarfile.SYMTYPE, link="sub"); add("link/file.txt")
elif case == "through-symlink-replaced":
    add("d", type=tarfile.DIRTYPE, mode=0o755); add("d", type=tarfile.SYMTYPE, link="."); add("d/file.txt")
elif case == "hardlink-outside": add("h", type=tarfile.LNKTYPE, link="../outside.txt")
elif case == "hardlink-absolute": add("h", type=tarfile.LNKTYPE, link=work + "/outside.txt")
elif case == "hardlink-forward": add("h", type=tarfile.LNKTYPE, link="later.txt"); add("later.txt")
elif case == "chardev":
    info = tarfile.TarInfo("null"); info.type = tarfile.CHRTYPE; info.devmajor, info.devminor = 1, 3; tar.addfile(info)
elif case == "blockdev":
    info = tarfile.TarInfo("sda"); info.type = tarfile.BLKTYPE; info.devmajor, info.devminor = 8, 0; tar.addfile(info)
elif case == "fifo": add("pipe", type=tarfile.FIFOTYPE)
elif case == "root-file": add(".")
elif case == "many": [add("f%02d" % i) for i in range(20)]
elif case == "large-total": [add("f%d" % i, data=b"y" * 1000) for i in range(5)]
elif case == "large-entry": add("big", data=b"z" * 1000)
elif case == "truncated":
    add("ok.txt"); add("big.bin", data=b"q" * 100000); tar.close(); tar = None
    import gzip
    raw = gzip.decompress(open(out, "rb").read())
    open(out, "wb").write(gzip.compress(raw[:512 * 3 + 1000]))
elif case == "zip-lying-size":
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"b" * 200000)
    data = bytearray(buffer.getvalue())
    local = data.find(b"PK\x03\x04"); central = data.find(b"PK\x01\x02")
    data[local + 22:local + 26] = (10).to_bytes(4, "little")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    open(out, "wb").write(bytes(data))
if tar: tar.close()
"""#

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var kind: ArchiveError.Kind
        var limits = ExtractLimits.default
        var description: String { name }
    }

    static let rejected: [Case] = [
        Case(name: "dotdot", kind: .unsafeEntry),
        Case(name: "nested-dotdot", kind: .unsafeEntry),
        Case(name: "absolute", kind: .unsafeEntry),
        Case(name: "symlink-outside", kind: .unsafeEntry),
        Case(name: "symlink-deep-outside", kind: .unsafeEntry),
        Case(name: "symlink-absolute", kind: .unsafeEntry),
        Case(name: "symlink-dot-trick", kind: .unsafeEntry),
        Case(name: "through-symlink", kind: .unsafeEntry),
        Case(name: "through-symlink-replaced", kind: .unsafeEntry),
        Case(name: "hardlink-outside", kind: .unsafeEntry),
        Case(name: "hardlink-absolute", kind: .unsafeEntry),
        Case(name: "hardlink-forward", kind: .unsafeEntry),
        Case(name: "chardev", kind: .unsupportedEntry),
        Case(name: "blockdev", kind: .unsupportedEntry),
        Case(name: "fifo", kind: .unsupportedEntry),
        Case(name: "root-file", kind: .unsafeEntry),
        Case(name: "many", kind: .limitExceeded, limits: ExtractLimits(maxEntries: 10, maxTotalBytes: 1 << 20, maxEntryBytes: 1 << 20)),
        Case(name: "large-total", kind: .limitExceeded, limits: ExtractLimits(maxEntries: 100, maxTotalBytes: 3000, maxEntryBytes: 1 << 20)),
        Case(name: "large-entry", kind: .limitExceeded, limits: ExtractLimits(maxEntries: 100, maxTotalBytes: 1 << 20, maxEntryBytes: 500)),
        Case(name: "truncated", kind: .library(status: -30)),
        Case(name: "zip-lying-size", kind: .unsafeEntry),
    ]

    @Test(arguments: rejected)
    func hostileArchiveIsRejectedAndNothingEscapes(_ testCase: Case) async throws {
        let fixture = try ArchiveFixture()
        let work = fixture.url("work")
        try fixture.write("work/outside.txt", "sentinel\n")
        let archive = fixture.url("evil-\(testCase.name)")
        try await ArchiveFixture.python(Self.craft, testCase.name, archive.path, work.path)
        let before = try outsideDestination(fixture, work)

        let error = try #require(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive, into: work.appendingPathComponent("dest"), limits: testCase.limits)
        }
        #expect(error.kind == testCase.kind, "\(error)")
        #expect(error.archive == archive.path)
        #expect(error.description.contains(archive.path))
        #expect(try outsideDestination(fixture, work) == before)
        #expect(try String(contentsOf: work.appendingPathComponent("outside.txt"), encoding: .utf8) == "sentinel\n")
    }

    @Test func hostileEntriesNameTheEntry() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("evil.tar.gz")
        try await ArchiveFixture.python(Self.craft, "symlink-absolute", archive.path, "/etc")
        let error = try #require(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        }
        #expect(error.entry == "link")
        #expect(error.description.contains("link") && error.description.contains("/etc"), "\(error)")
    }

    @Test func setuidSetgidAndStickyBitsAreStripped() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("modes.tar.gz")
        try await ArchiveFixture.python(#"""
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as tar:
    for name, type, mode in [("shared", tarfile.DIRTYPE, 0o3777), ("shared/su", tarfile.REGTYPE, 0o4755),
                             ("shared/sg", tarfile.REGTYPE, 0o2750), ("plain", tarfile.REGTYPE, 0o640)]:
        info = tarfile.TarInfo(name); info.type = type; info.mode = mode
        if type == tarfile.REGTYPE: info.size = 2; tar.addfile(info, io.BytesIO(b"hi"))
        else: tar.addfile(info)
"""#, archive.path)
        try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        #expect(try fixture.listing(fixture.url("dest")) == ["plain f640 2", "shared d777", "shared/sg f750 2", "shared/su f755 2"])
    }

    /// A hard link or symlink planted in the destination before extraction must be replaced,
    /// not written through: the file it leads to lives outside.
    @Test(arguments: ["hardlink", "symlink"])
    func linkPlantedInDestinationIsNotWrittenThrough(_ kind: String) async throws {
        let fixture = try ArchiveFixture()
        try fixture.write("work/outside.txt", "sentinel\n")
        try fixture.mkdir("work/dest")
        if kind == "hardlink" {
            try fixture.hardlink("work/dest/x", to: "work/outside.txt")
        } else {
            try fixture.symlink("work/dest/x", to: "../outside.txt")
        }
        let archive = fixture.url("x.tar.gz")
        try await ArchiveFixture.python(#"""
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as tar:
    info = tarfile.TarInfo("x"); info.size = 6; tar.addfile(info, io.BytesIO(b"pwned\n"))
"""#, archive.path)
        try ArchiveExtractor.extract(archive, into: fixture.url("work/dest"))
        #expect(try String(contentsOf: fixture.url("work/outside.txt"), encoding: .utf8) == "sentinel\n")
        #expect(try String(contentsOf: fixture.url("work/dest/x"), encoding: .utf8) == "pwned\n")
    }

    /// A symlink that stays inside is fine, and so is writing next to it.
    @Test func symlinksInsideTheDestinationAreKept() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("ok.tar.gz")
        try await ArchiveFixture.python(#"""
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as tar:
    for name, type, link in [("lib", tarfile.DIRTYPE, ""), ("lib/libz.so.1.3", tarfile.REGTYPE, ""),
                             ("lib/libz.so.1", tarfile.SYMTYPE, "libz.so.1.3"), ("bin", tarfile.DIRTYPE, ""),
                             ("bin/lib", tarfile.SYMTYPE, "../lib"), ("self", tarfile.SYMTYPE, "."),
                             ("dangling", tarfile.SYMTYPE, "not/there")]:
        info = tarfile.TarInfo(name); info.type = type; info.linkname = link; info.mode = 0o755
        if type == tarfile.REGTYPE: info.size = 1; tar.addfile(info, io.BytesIO(b"z"))
        else: tar.addfile(info)
"""#, archive.path)
        try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        #expect(try fixture.listing(fixture.url("dest")) == [
            "bin d755", "bin/lib l->../lib", "dangling l->not/there", "lib d755",
            "lib/libz.so.1 l->libz.so.1.3", "lib/libz.so.1.3 f755 1", "self l->.",
        ])
    }

    /// The sentinel directory's listing, leaving out the destination itself.
    private func outsideDestination(_ fixture: ArchiveFixture, _ work: URL) throws -> [String] {
        try fixture.listing(work).filter { !$0.hasPrefix("dest") }
    }
}

extension ArchiveHostileTests {
    /// libarchive checks every component of the absolute paths it is given for symlinks, so
    /// a destination reached through one must still work (it is resolved first).
    @Test func destinationBehindASymlinkWorks() async throws {
        let fixture = try ArchiveFixture()
        try fixture.mkdir("real")
        try fixture.symlink("alias", to: "real")
        let archive = fixture.url("a.tar.gz")
        try await ArchiveFixture.run(["tar", "-C", try fixture.sampleTree().path, "-czf", archive.path, "."])
        try ArchiveExtractor.extract(archive, into: fixture.url("alias/dest"))
        #expect(try fixture.listing(fixture.url("real/dest")) == fixture.listing(fixture.url("tree")))
    }
}

extension ArchiveHostileTests {
    /// The second line of defence on its own: with the checks above bypassed, libarchive's
    /// secure flags still refuse `..` and writes through a symlink.
    @Test(arguments: ["../escaped.txt", "link/escaped.txt"])
    func libarchiveRefusesOnItsOwnToo(_ path: String) throws {
        let fixture = try ArchiveFixture()
        try fixture.write("work/outside.txt", "sentinel\n")
        try fixture.mkdir("work/dest")
        try fixture.symlink("work/dest/link", to: "..")
        let before = try outsideDestination(fixture, fixture.url("work"))
        let disk = try DiskWriter(root: fixture.url("work/dest").path, archive: "direct")
        let error = try #require(throws: ArchiveError.self) {
            try disk.create(path, type: FileType.regular, permissions: 0o644, size: 1, modificationTime: 0)
        }
        #expect(error.kind == .library(status: -25), "\(error)")  // ARCHIVE_FAILED
        #expect(try outsideDestination(fixture, fixture.url("work")) == before)
    }
}
