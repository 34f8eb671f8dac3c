import Foundation
import Testing
@testable import PkgTreeKit

/// Archives written by other tools (GNU tar, Python's zipfile) read back with ours.
@Suite struct ArchiveInteropTests {
    @Test(arguments: [("-czf", "tar.gz"), ("-czf", "tgz"), ("-cJf", "tar.xz"), ("-cjf", "tar.bz2")])
    func systemTarArchivesExtract(_ flag: String, _ suffix: String) async throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        let archive = fixture.url("made-by-tar.\(suffix)")
        try await ArchiveFixture.run(["tar", "-C", tree.path, flag, archive.path, "."])
        let result = try ArchiveExtractor.extract(archive, into: fixture.url("out"))
        #expect(try fixture.listing(fixture.url("out")) == fixture.listing(tree))
        #expect(FileStatus.of(fixture.url("out/bin/tool").path)?.inode == FileStatus.of(fixture.url("out/bin/tool-again").path)?.inode)
        #expect(result.entryCount == 14)  // GNU tar adds "./"
    }

    @Test func zipArchivesExtract() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("made-by-python.zip")
        try await ArchiveFixture.python(#"""
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, mode, data in [("pkg/", 0o40755, b""), ("pkg/run.sh", 0o100755, b"#!/bin/sh\n" * 100),
                             ("pkg/link", 0o120777, b"run.sh"), ("pkg/data.txt", 0o100600, b"hello")]:
        info = zipfile.ZipInfo(name); info.external_attr = mode << 16; info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
"""#, archive.path)
        try ArchiveExtractor.extract(archive, into: fixture.url("out"))
        #expect(try fixture.listing(fixture.url("out")) == ["pkg d755", "pkg/data.txt f600 5", "pkg/link l->run.sh", "pkg/run.sh f755 1000"])
    }

    @Test func readerListsEntriesAsStored() async throws {
        let fixture = try ArchiveFixture()
        let tree = try fixture.sampleTree()
        let archive = fixture.url("made-by-tar.tar.gz")
        try await ArchiveFixture.run(["tar", "-C", tree.path, "-czf", archive.path, "./bin", "./lib"])
        let entries = try ArchiveReader.entries(of: archive).sorted { $0.path < $1.path }
        #expect(entries.map(\.path) == ["./bin/", "./bin/tool", "./bin/tool-again", "./lib/", "./lib/libfoo.so.1", "./lib/libfoo.so.1.2"])
        // GNU tar stores whichever name of the inode it meets first (readdir order) as the file.
        let tools = entries[1...2]
        let file = try #require(tools.first { $0.kind == .file }), link = try #require(tools.first { $0.kind == .hardlink })
        #expect(link.linkTarget == file.path)
        #expect(file.permissions == 0o755 && file.size == 20)
        #expect(entries.map(\.kind)[3...] == [.directory, .symlink, .file])
        #expect(entries[4].linkTarget == "libfoo.so.1.2")
    }

    @Test func readerReadsEntryData() throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("a.tar.xz")
        try ArchivePacker.pack(directory: try fixture.sampleTree(), to: archive, options: ArchivePackTests.options)
        let reader = try ArchiveReader(archive)
        while let entry = try reader.next(), entry.path != "bin/tool" {}
        #expect(try String(decoding: reader.readData(), as: UTF8.self) == "#!/bin/sh\necho tool\n")
    }

    @Test func notAnArchiveIsAClearError() throws {
        let fixture = try ArchiveFixture()
        let bogus = try fixture.write("bogus.tar.gz", "this is not an archive\n")
        let error = try #require(throws: ArchiveError.self) { try ArchiveExtractor.extract(bogus, into: fixture.url("out")) }
        #expect(error.description.hasPrefix(bogus.path + ": "), "\(error)")
    }
}
