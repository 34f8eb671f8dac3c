import Foundation
import Testing
@testable import PkgTreeKit

/// Bootstraps concatenated from cached fragments: the same tar stream as one compressed anew,
/// read as one archive by GNU tar, Python's `tarfile`, libarchive and `xz`; fragments made
/// once and reused; a damaged one found and never copied.
extension BootstrapWriterTests {
    /// Lists every entry with what a reader sees of it: type, mode, owner, mtime, link target,
    /// size and a digest of the content. Python's `tarfile`, as pkgpanda extracts with.
    static let pythonListing = """
        import hashlib, sys, tarfile
        with tarfile.open(sys.argv[1]) as archive:
            for member in archive:
                data = archive.extractfile(member).read() if member.isfile() else b""
                print(member.name, member.type, oct(member.mode), member.uid, member.gid, member.mtime,
                      member.linkname, member.size, hashlib.sha256(data).hexdigest())
            archive.extractall(sys.argv[2])
        """

    func manyPackages(_ count: Int) throws -> [BootstrapPackage] {
        try (0..<count).map { index in
            try package(String(format: "p%02d", index), ["bin/p\(index)": "#!/bin/sh\necho \(index)\n",
                                                          "share/p\(index)/data": String(repeating: "line \(index)\n", count: 500)],
                        links: ["lib/libp\(index).so": "../bin/p\(index)"])
        }
    }

    /// Flips one bit in the middle of `package`'s fragment; returns its row and its file.
    func corruptFragment(of package: BootstrapPackage, _ prepared: BootstrapFragments.Prepared) throws -> (record: FragmentRecord, file: URL) {
        let record = try #require(prepared.fragments[package.id]?.record)
        let file = cache.layout.url(ofRelativePath: record.path)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: file)
        return (record, file)
    }

    @Test func concatenationHoldsTheTarStreamOfOneStreamCompressedAnewAndEveryReaderReadsIt() async throws {
        let packages = try samplePackages() + manyPackages(3)
        let concatenated = fixture.url("concatenated.tar.xz"), single = fixture.url("single.tar.xz")
        try await write(packages, to: concatenated)
        try writer.writeSingleStream(packages, to: single)

        // The same entries, order and metadata: the same tar bytes once decompressed.
        let tarDigest = { (file: URL) in try await ArchiveFixture.run(["sh", "-c", "xz -dc \"$0\" | sha256sum", file.path]) }
        #expect(try await tarDigest(concatenated) == tarDigest(single))
        try await ArchiveFixture.run(["xz", "-t", concatenated.path])
        let streams = try await ArchiveFixture.run(["xz", "-l", "--robot", concatenated.path])
            .split(separator: "\n").first { $0.hasPrefix("totals") }?.split(separator: "\t")[1]
        #expect(streams.map(String.init) == String(packages.count + 2), "a head, one fragment per package, a last stream")

        let gnuListing = try await ArchiveFixture.run(["tar", "-tvJf", concatenated.path])
        #expect(gnuListing == (try await ArchiveFixture.run(["tar", "-tvJf", single.path])))
        #expect(gnuListing.split(separator: "\n").first?.hasSuffix(" packages/") == true)
        try fixture.mkdir("gnu")
        try await ArchiveFixture.run(["tar", "-xJf", concatenated.path, "-C", fixture.url("gnu").path])

        let python = try await ArchiveFixture.python(Self.pythonListing, concatenated.path, fixture.url("python").path)
        #expect(python == (try await ArchiveFixture.python(Self.pythonListing, single.path, fixture.url("python-single").path)))
        #expect(try fixture.listing(fixture.url("python")) == fixture.listing(fixture.url("gnu")))

        let libarchive = try ArchiveReader.entries(of: concatenated)
        #expect(libarchive.map(\.path) == (try ArchiveReader.entries(of: single)).map(\.path))
        #expect(libarchive.count == python.split(separator: "\n").count)
        #expect(libarchive.allSatisfy { $0.userID == 0 && $0.groupID == 0 && $0.modificationTime == ArchivePackTests.mtime })
        #expect(Set(libarchive.map(\.path)).count == libarchive.count, "no entry twice")

        let report = try BootstrapInstaller.install(concatenated, root: fixture.url("installed"))
        #expect(report.packages.count == packages.count)
    }

    @Test func fragmentsAreMadeOncePerPackageAndABootstrapFromAnotherCacheHasTheSameBytes() async throws {
        let packages = try manyPackages(6)
        let first = fixture.url("first.tar.xz"), second = fixture.url("second.tar.xz")
        #expect(try await write(packages, to: first).made == 6)
        let changed = try package("p03", ["bin/p3": "#!/bin/sh\necho changed\n"])
        let renamed = BootstrapPackage(name: "p03", id: "p03--bbbbbbbb", artifact: changed.artifact)
        let next = packages.map { $0.name == "p03" ? renamed : $0 }
        #expect(try await write(next, to: second).made == 1, "only the changed package's fragment")
        #expect(try await fragments(next).made == 0)
        #expect(try cache.index.fragments().count == 7)

        let elsewhere = try await BootstrapWriterTests()
        let again = elsewhere.fixture.url("again.tar.xz")
        try await elsewhere.write(next, to: again)
        #expect(try Data(contentsOf: again) == Data(contentsOf: second))
    }

    @Test func aCorruptOrMissingFragmentIsFoundByVerifyAndNeverCopied() async throws {
        let packages = try manyPackages(3)
        let prepared = try await fragments(packages)
        let damaged = try corruptFragment(of: packages[1], prepared).record
        let findings = try CacheVerifier.fragments(cache.index)
        #expect(findings.map(\.path) == [damaged.path] && findings.first?.problem.contains("corrupt") == true, "\(findings)")

        let output = fixture.url("out.tar.xz")
        let mismatch = try #require(throws: FragmentCopy.Mismatch.self) {
            try writer.write(packages, fragments: prepared.fragments, cache: cache.layout, to: output)
        }
        #expect(mismatch.record.path == damaged.path && mismatch.description.contains("corrupted"))
        try await FragmentStore(index: cache.index).discard(mismatch.record)
        #expect(try await write(packages, to: output).made == 1)
        #expect(try CacheVerifier.fragments(cache.index).isEmpty)

        let missing = try #require(try cache.index.fragments().first)
        try FileManager.default.removeItem(at: cache.layout.url(ofRelativePath: missing.path))
        #expect(try CacheVerifier.fragments(cache.index).map(\.problem).contains { $0.contains("missing") })
        #expect(try await fragments(packages).made == 1, "a missing fragment is made again")
        #expect(try CacheVerifier.fragments(cache.index).isEmpty)
    }

    @Test func repairRemovesFragmentLeftoversAndGcRemovesAFragmentWithItsArtifact() async throws {
        var stored: [BootstrapPackage] = []
        for package in try manyPackages(2) {
            let record = try await cache.store.place(CacheFixture.description(package.id, name: package.name)) { staging in
                try FileManager.default.copyItem(at: package.artifact, to: staging)
                try Durability.syncFile(staging)
            }.record
            stored.append(BootstrapPackage(name: package.name, id: package.id, artifact: cache.layout.url(ofRelativePath: record.path)))
        }
        _ = try await fragments(stored)
        #expect(try CacheCollector.collectFragments(in: cache.index, keepingOnly: nil).isEmpty, "both artifacts are there")

        let leftover = cache.layout.fragments.child("x86_64/p00/p00--aaaaaaaa.v1-xz6-t9.xz")
        try Data("half".utf8).write(to: leftover)
        let rows = try cache.index.fragments()
        try FileManager.default.removeItem(at: cache.layout.url(ofRelativePath: rows[1].path))
        let report = try CacheRepair.run(cache.index)
        #expect(report.removedFragments == [cache.layout.relativePath(of: leftover)])
        #expect(report.droppedRows == ["\(rows[1].id) (bootstrap fragment \(rows[1].form))"])
        #expect(try cache.index.fragments().map(\.id) == [rows[0].id])

        _ = try await fragments(stored)
        _ = try await CacheCollector.removeUnreferenced(keeping: [stored[0].id], in: cache.index)
        let removed = try CacheCollector.collectFragments(in: cache.index, keepingOnly: FragmentForm.key(ArchivePackTests.options))
        #expect(removed.map(\.id) == [stored[1].id])
        #expect(!FileManager.default.fileExists(atPath: cache.layout.url(ofRelativePath: removed[0].path).path))
        #expect(try CacheCollector.collectFragments(in: cache.index, keepingOnly: "v1-xz6-t1").map(\.id) == [stored[0].id],
                "a fragment of another SOURCE_DATE_EPOCH")
        #expect(try CacheVerifier.fragments(cache.index).isEmpty)
    }

    @Test func anIndexRebuiltFromTheArtifactsForgetsTheFragmentsAndTheNextBootstrapMakesThemAgain() async throws {
        let packages = try manyPackages(3)
        let before = fixture.url("before.tar.xz"), after = fixture.url("after.tar.xz")
        try await write(packages, to: before)
        let files = try cache.index.fragments().map(\.path)
        #expect(files.count == 3)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cache.layout.index.path + suffix) }

        let healed = try await CacheIndex.open(cache.layout)
        #expect(healed.recovery != nil)
        #expect(try healed.fragments().isEmpty)
        #expect(try CacheVerifier.fragments(healed).map(\.path) == files, "before repair: files without a row")
        let report = try CacheRepair.run(healed)
        #expect(report.removedFragments == files)
        #expect(try CacheVerifier.fragments(healed).isEmpty)

        #expect(try await write(packages, to: after, index: healed).made == 3)
        #expect(try Data(contentsOf: after) == Data(contentsOf: before))
    }

    @Test func cacheRepairRemovesACorruptFragmentAndVerifyIsCleanAfter() async throws {
        let packages = try manyPackages(3)
        let (damaged, file) = try corruptFragment(of: packages[2], try await fragments(packages))

        let (index, report) = try await CacheRepair.onRequest(cache.layout)
        #expect(report.discardedFragments.map(\.path) == [damaged.path])
        #expect(report.discardedFragments.first?.reason.contains("corrupt") == true)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try CacheVerifier.fragments(index).isEmpty)
        #expect(try index.fragments().map(\.id).sorted() == packages.prefix(2).map(\.id).sorted())
        #expect(try await fragments(packages).made == 1)
    }

    @Test func aFragmentOfAnArtifactStoredAgainWithOtherBytesIsNotTaken() async throws {
        let packages = try manyPackages(2)
        _ = try await fragments(packages)
        let maker = BootstrapFragments(store: FragmentStore(index: cache.index), installRoot: "/opt/pkgtree", arch: .x86_64,
                                       options: ArchivePackTests.options, jobs: 1)
        let digests = Dictionary(uniqueKeysWithValues: try packages.map { ($0.id, try FileHasher.sha256($0.artifact)) })
        let rebuilt = digests.merging([packages[0].id: String(repeating: "0", count: 64)]) { _, new in new }
        #expect(try await maker.prepare(packages, artifactSHA256: rebuilt).made == 1)
        #expect(try await maker.prepare(packages, artifactSHA256: rebuilt).made == 0)
    }

    /// A fragment is a complete xz stream whose tar bytes stop right after the last entry's
    /// data: no end-of-archive blocks, so what follows it is read as more entries.
    @Test func aFragmentEndsAfterItsLastEntry() async throws {
        let tool = try package("tool", ["bin/tool": "#!/bin/sh\n"])
        let fragment = fixture.url("tool.xz")
        let writer = try ArchiveWriter(writingTo: fragment, options: ArchivePackTests.options, form: .fragment)
        _ = try PackageEntries.write(tool, installRoot: "/opt/pkgtree", into: writer)
        let result = try writer.finish()
        try await ArchiveFixture.run(["xz", "-t", fragment.path])
        let tar = try await ArchiveFixture.python("import lzma, sys; data = lzma.open(sys.argv[1]).read(); print(len(data), any(data[-512:]))",
                                            fragment.path)
        #expect(tar == "\(result.uncompressedBytes) True\n", "the last block is the last file's data, not a zero block")
    }
}
