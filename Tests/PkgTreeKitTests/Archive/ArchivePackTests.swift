import Foundation
import RegistryTestSupport
import Subprocess
import Testing
@testable import PkgTreeKit

/// `ArchivePacker`: reproducible `tar.xz` files that the system's own `tar` and `xz` accept.
@Suite struct ArchivePackTests {
    static let mtime: Int64 = 1_700_000_000  // 2023-11-14 22:13:20 UTC
    static let options = PackOptions(threads: 2, modificationTime: mtime)

    @Test func packingTwiceGivesIdenticalBytes() throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        try ArchivePacker.pack(directory: tree, to: fixture.url("one.tar.xz"), options: Self.options)
        try ArchivePacker.pack(directory: tree, to: fixture.url("two.tar.xz"), options: Self.options)
        #expect(try Data(contentsOf: fixture.url("one.tar.xz")) == Data(contentsOf: fixture.url("two.tar.xz")))
    }

    /// Owners, mtimes, atimes and the tree's location are the host's business, not the archive's.
    @Test func hostMetadataDoesNotLeak() async throws {
        let fixture = try ArchiveFixture()
        try ArchivePacker.pack(directory: try fixture.sampleTree("a"), to: fixture.url("a.tar.xz"), options: Self.options)
        let other = try fixture.sampleTree("elsewhere/b")
        try await ArchiveFixture.run(["chown", "-hR", "1234:4321", other.path])
        try await ArchiveFixture.run(["touch", "-h", "-d", "2001-02-03 04:05:06", other.appendingPathComponent("bin/tool").path])
        try await ArchiveFixture.python("import os, sys; os.setxattr(sys.argv[1], 'user.note', b'host')",
                                  other.appendingPathComponent("bin/tool").path)
        try ArchivePacker.pack(directory: other, to: fixture.url("b.tar.xz"), options: Self.options)
        #expect(try Data(contentsOf: fixture.url("a.tar.xz")) == Data(contentsOf: fixture.url("b.tar.xz")))
    }

    @Test func systemTarSeesRootOwnersTheFixedMtimeAndEveryKindOfEntry() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("a.tar.xz")
        try ArchivePacker.pack(directory: try fixture.sampleTree(), to: archive, options: Self.options)
        let utc: [Environment.Key: String] = ["TZ": "UTC", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let numeric = try await ArchiveFixture.run(["tar", "--numeric-owner", "-tvJf", archive.path], environment: utc)
            .split(separator: "\n")
        let named = try await ArchiveFixture.run(["tar", "-tvJf", archive.path], environment: utc).split(separator: "\n")
        #expect(numeric.count == 13)
        for line in numeric { #expect(line.contains(" 0/0 ") && line.contains(" 2023-11-14 22:13 "), "\(line)") }
        for line in named { #expect(line.contains(" root/root "), "\(line)") }
        let listing = named.joined(separator: "\n")
        #expect(listing.contains("lib/libfoo.so.1 -> libfoo.so.1.2"))
        #expect(listing.contains("bin/tool-again link to bin/tool"))
        #expect(listing.contains("-rwxr-xr-x root/root        20 2023-11-14 22:13 bin/tool\n"))
        #expect(listing.contains("drwxr-xr-x root/root         0 2023-11-14 22:13 var/empty/"))
        #expect(listing.contains("share/naïve-café.txt"))
        try await ArchiveFixture.run(["xz", "-t", archive.path])
    }

    /// Stored names sort by their bytes: "B" < "a-b" < "a/" < "a/a", whatever the locale.
    @Test func entriesAreSortedBytewise() throws {
        let fixture = try ArchiveFixture()
        for path in ["t/a/b", "t/a-b", "t/B", "t/a/a", "t/é", "t/z"] { try fixture.write(path, path) }
        let archive = fixture.url("s.tar.xz")
        try ArchivePacker.pack(directory: fixture.url("t"), to: archive, options: Self.options)
        #expect(try ArchiveReader.entries(of: archive).map(\.path) == ["B", "a-b", "a/", "a/a", "a/b", "z", "é"])
    }

    @Test func systemTarExtractsWhatWasPacked() async throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        let archive = fixture.url("a.tar.xz")
        let result = try ArchivePacker.pack(directory: tree, to: archive, options: Self.options)
        try fixture.mkdir("out")
        try await ArchiveFixture.run(["tar", "-C", fixture.url("out").path, "-xJf", archive.path])
        #expect(try fixture.listing(fixture.url("out")) == fixture.listing(tree))
        let tool = FileStatus.of(fixture.url("out/bin/tool").path), again = FileStatus.of(fixture.url("out/bin/tool-again").path)
        #expect(tool?.inode == again?.inode)
        #expect(result.entryCount == 13)
        let tarBytes = try await ArchiveFixture.run(["sh", "-c", "xz -dc \"$0\" | wc -c", archive.path])
        #expect(Int64(tarBytes.trimmingCharacters(in: .whitespacesAndNewlines)) == result.uncompressedBytes)
    }

    @Test func ourExtractorRestoresWhatWasPacked() throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        let archive = fixture.url("a.tar.xz")
        try ArchivePacker.pack(directory: tree, to: archive, options: Self.options)
        let result = try ArchiveExtractor.extract(archive, into: fixture.url("out"))
        #expect(try fixture.listing(fixture.url("out")) == fixture.listing(tree))
        #expect(FileStatus.of(fixture.url("out/bin/tool").path)?.inode == FileStatus.of(fixture.url("out/bin/tool-again").path)?.inode)
        #expect(FileStatus.of(fixture.url("out/bin/tool").path)?.modificationNanoseconds == Self.mtime * 1_000_000_000)
        #expect(result == ExtractResult(entryCount: 13, fileBytes: 64000 + 20 + 8 + 8))
    }

    /// liblzma's multi-threaded encoder cuts the input into blocks by size, not by thread, so
    /// 1 (raised to 2), 2 and 4 threads write the same bytes. Level 1 has 3 MiB blocks, so
    /// 8 MB of input makes several blocks without a slow test.
    @Test func threadCountDoesNotChangeTheOutput() async throws {
        let fixture = try ArchiveFixture()
        var generator = SeededGenerator(seed: 42)
        for index in 0..<4 {
            let bytes = (0..<2_000_000).map { _ in UInt8(truncatingIfNeeded: generator.next() % 16) }
            try Data(bytes).write(to: fixture.url("data-\(index).bin"))
        }
        try fixture.mkdir("tree")
        for index in 0..<4 {
            try FileManager.default.moveItem(at: fixture.url("data-\(index).bin"), to: fixture.url("tree/data-\(index).bin"))
        }
        var outputs: [Data] = []
        for threads in [1, 2, 4] {
            let archive = fixture.url("t\(threads).tar.xz")
            try ArchivePacker.pack(directory: fixture.url("tree"), to: archive,
                                   options: PackOptions(compressionLevel: 1, threads: threads, modificationTime: 0))
            outputs.append(try Data(contentsOf: archive))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        let blocks = try await ArchiveFixture.run(["xz", "--robot", "-l", fixture.url("t2.tar.xz").path])
        #expect(blocks.split(separator: "\n").contains { $0.hasPrefix("totals\t1\t3\t") }, "\(blocks)")
    }

    @Test func devicesFIFOsAndSocketsAreNotPacked() async throws {
        let fixture = try ArchiveFixture()
        try fixture.write("tree/ok", "ok")
        try await ArchiveFixture.run(["mkfifo", fixture.url("tree/pipe").path])
        let error = try #require(throws: ArchiveError.self) {
            try ArchivePacker.pack(directory: fixture.url("tree"), to: fixture.url("a.tar.xz"), options: Self.options)
        }
        #expect(error.kind == .unsupportedEntry && error.entry == "pipe")
    }

    @Test(arguments: [PackOptions(compressionLevel: 10), PackOptions(compressionLevel: -1), PackOptions(threads: 0)])
    func nonsenseOptionsAreRefused(_ options: PackOptions) throws {
        let fixture = try ArchiveFixture()
        try fixture.write("tree/ok", "ok")
        let error = try #require(throws: ArchiveError.self) {
            try ArchivePacker.pack(directory: fixture.url("tree"), to: fixture.url("a.tar.xz"), options: options)
        }
        #expect(error.kind == .invalidOptions)
    }

    /// A writer dropped before `finish()` must not leave a file that passes as a whole archive.
    @Test func abandonedWriterLeavesNoValidArchive() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("partial.tar.xz")
        do {
            let writer = try ArchiveWriter(writingTo: archive, options: Self.options)
            try writer.add(file: "a.txt", contents: Data(String(repeating: "a", count: 100_000).utf8))
        }
        await #expect(throws: ToolProcess.Failure.self) { try await ArchiveFixture.run(["xz", "-t", archive.path]) }
    }
}

/// A small deterministic generator (SplitMix64), so test data is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
