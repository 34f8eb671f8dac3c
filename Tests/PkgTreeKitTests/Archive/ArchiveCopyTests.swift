import Foundation
import Testing
@testable import PkgTreeKit

/// `ArchiveWriter.copyEntries`: package archives streamed into a bootstrap-shaped archive.
@Suite struct ArchiveCopyTests {
    /// Two packed packages under `opt/pkgtree/packages/<id>/` plus an `active/` symlink.
    static func bootstrap(_ fixture: ArchiveFixture, to name: String) throws -> URL {
        let options = ArchivePackTests.options
        let first = fixture.url("a.tar.xz"), second = fixture.url("b.tar.xz")
        if !FileManager.default.fileExists(atPath: second.path) {
            try ArchivePacker.pack(directory: try fixture.sampleTree("a"), to: first, options: options)
            try fixture.write("b/etc/b.conf", "b=1\n")
            try fixture.hardlink("b/etc/b-copy.conf", to: "b/etc/b.conf")
            try ArchivePacker.pack(directory: fixture.url("b"), to: second, options: options)
        }
        let output = fixture.url(name)
        let writer = try ArchiveWriter(writingTo: output, options: options)
        for directory in ["opt", "opt/pkgtree", "opt/pkgtree/active", "opt/pkgtree/packages"] {
            try writer.add(directory: directory)
        }
        try writer.add(symlink: "opt/pkgtree/active/a", target: "../packages/a--1")
        for (archive, id) in [(first, "a--1"), (second, "b--2")] {
            try writer.add(directory: "opt/pkgtree/packages/\(id)")
            try writer.copyEntries(from: archive, prefix: "opt/pkgtree/packages/\(id)")
        }
        try writer.add(file: "opt/pkgtree/bootstrap", contents: Data())
        let result = try writer.finish()
        #expect(result.entryCount == 5 + 2 + 13 + 3 + 1)
        return output
    }

    @Test func copiedEntriesArePrefixedWithTheirHardLinks() async throws {
        let fixture = try ArchiveFixture()
        let archive = try Self.bootstrap(fixture, to: "bootstrap.tar.xz")
        let listing = try await ArchiveFixture.run(["tar", "--numeric-owner", "-tvJf", archive.path], environment: ["TZ": "UTC"])
        #expect(listing.contains("opt/pkgtree/packages/a--1/bin/tool-again link to opt/pkgtree/packages/a--1/bin/tool\n"))
        #expect(listing.contains("opt/pkgtree/packages/b--2/etc/b.conf link to opt/pkgtree/packages/b--2/etc/b-copy.conf\n"))
        #expect(listing.contains("opt/pkgtree/packages/a--1/lib/libfoo.so.1 -> libfoo.so.1.2\n"))
        #expect(listing.contains("opt/pkgtree/active/a -> ../packages/a--1\n"))
        for line in listing.split(separator: "\n") {
            #expect(line.contains(" 0/0 ") && line.contains(" 2023-11-14 22:13 "), "\(line)")
        }
        try fixture.mkdir("by-tar")
        try await ArchiveFixture.run(["tar", "-C", fixture.url("by-tar").path, "-xJf", archive.path])
        try ArchiveExtractor.extract(archive, into: fixture.url("by-us"))
        #expect(try fixture.listing(fixture.url("by-us")) == fixture.listing(fixture.url("by-tar")))
        #expect(try fixture.listing(fixture.url("by-us/opt/pkgtree/packages/a--1")) == fixture.listing(fixture.url("a")))
    }

    @Test func copyingTwiceGivesIdenticalBytes() throws {
        let fixture = try ArchiveFixture()
        let one = try Self.bootstrap(fixture, to: "one.tar.xz")
        let two = try Self.bootstrap(fixture, to: "two.tar.xz")
        #expect(try Data(contentsOf: one) == Data(contentsOf: two))
    }

    /// A tarball from elsewhere (owner 1234, "./" names, today's mtimes) comes out with the
    /// same normalized headers as our own.
    @Test func foreignHeadersAreNormalized() async throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        try await ArchiveFixture.run(["chown", "-hR", "1234:4321", tree.path])
        let foreign = fixture.url("foreign.tar.gz")
        try await ArchiveFixture.run(["tar", "-C", tree.path, "-czf", foreign.path, "."])
        let output = fixture.url("out.tar.xz")
        let writer = try ArchiveWriter(writingTo: output, options: ArchivePackTests.options)
        #expect(try writer.copyEntries(from: foreign, prefix: "pkg/").count == 13)
        try writer.finish()
        let entries = try ArchiveReader.entries(of: output)
        #expect(entries.allSatisfy { $0.path.hasPrefix("pkg/") && $0.userID == 0 && $0.groupID == 0 && $0.userName == "root" })
        #expect(entries.allSatisfy { $0.modificationTime == ArchivePackTests.mtime })
        #expect(entries.first { $0.kind == .hardlink }?.linkTarget?.hasPrefix("pkg/bin/tool") == true)
    }

    @Test(arguments: [("dotdot", "../escaped.txt"), ("zip-lying-size", "bomb.txt")])
    func hostileSourceEntriesAreRefused(_ name: String, _ entry: String) async throws {
        let fixture = try ArchiveFixture()
        let hostile = fixture.url("evil-\(name)")
        try await ArchiveFixture.python(ArchiveHostileTests.craft, name, hostile.path, fixture.root.path)
        let writer = try ArchiveWriter(writingTo: fixture.url("out.tar.xz"), options: ArchivePackTests.options)
        let error = try #require(throws: ArchiveError.self) { try writer.copyEntries(from: hostile, prefix: "pkg") }
        #expect(error.kind == .unsafeEntry && error.archive == hostile.path && error.entry == entry, "\(error)")
    }
}
