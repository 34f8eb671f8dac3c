import Foundation
import Testing
@testable import PkgTreeKit

/// The cache index and the store/repair/verify/gc cycle, on real SQLite files.
@Suite struct CacheStoreTests {
    @Test func theIndexIsSQLiteInWALModeAndReopens() async throws {
        let cache = try await CacheFixture()
        let mode = try await cache.index.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        try await cache.put("a--1")
        let reopened = try await CacheIndex.open(cache.layout)
        #expect(try reopened.artifact(id: "a--1")?.name == "a")
        let migrations = try await reopened.database.read { try CacheIndex.migrator.appliedIdentifiers($0) }
        #expect(migrations.sorted() == ["v1: artifacts and stat cache", "v2: artifact file stamps", "v3: bootstrap fragments"])
    }

    @Test func storingPutsTheFileInPlaceAndRecordsEverything() async throws {
        let cache = try await CacheFixture()
        let outcome = try await cache.put("hello--abc", arch: .aarch64, content: "hello bytes")
        guard case .stored(let record) = outcome else { Issue.record("expected a new artifact"); return }
        #expect(record.path == "packages/aarch64/hello/hello--abc.tar.xz")
        #expect(record.size == 11)
        #expect(record.sha256 == (try FileHasher.sha256(cache.url(of: "hello--abc"))))
        #expect(record.buildDuration == 0.5)
        #expect(record.inputs == #"{"id":"hello--abc"}"#)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path).isEmpty)
    }

    @Test func aBuildOutputDirectoryIsPackedIntoARealTarXz() async throws {
        let cache = try await CacheFixture()
        let output = try cache.output("bin/hi", content: Data("#!/bin/sh\necho hi\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output.appendingPathComponent("bin/hi").path)
        let record = try await cache.store.store(directory: output, as: CacheFixture.description("hi--1"), options: PackOptions(threads: 2)).record
        let text = try await ArchiveFixture.run(["tar", "-tvJf", cache.layout.url(ofRelativePath: record.path).path])
        #expect(text.contains("-rwxr-xr-x"))
        #expect(text.contains("bin/hi"))
        #expect(try CacheVerifier.run(cache.index).isEmpty)
    }

    @Test func storingAnIDTwiceFindsItCached() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "first")
        guard case .alreadyCached(let record) = try await cache.put("a--1", content: "second") else {
            Issue.record("the second store should find the first")
            return
        }
        #expect(try String(contentsOf: cache.url(of: "a--1"), encoding: .utf8) == "first")
        #expect(record.size == 5)
    }

    @Test func aFailedWriteStoresNothing() async throws {
        let cache = try await CacheFixture()
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await cache.store.place(CacheFixture.description("a--1")) { url in
                try Data("half".utf8).write(to: url)
                throw Boom()
            }
        }
        #expect(try cache.index.artifact(id: "a--1") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path).isEmpty)
        #expect(CacheRepair.artifactFiles(cache.layout).isEmpty)
    }

    /// SIGINT cancels the build's task; whether the archive was half or wholly written then,
    /// nothing becomes visible.
    @Test(arguments: [false, true])
    func anInterruptedStoreStoresNothing(whileWriting: Bool) async throws {
        let cache = try await CacheFixture()
        let output = try cache.output("share/file", content: Data("data".utf8))
        let description = CacheFixture.description("a--1")
        let store = Task {
            if whileWriting {  // the signal comes as the file is complete, before it is renamed into place
                _ = try await cache.store.place(description) { url in
                    try Data("complete".utf8).write(to: url)
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            } else {  // the signal comes before packing: the packer stops at once
                withUnsafeCurrentTask { $0?.cancel() }
                _ = try await cache.store.store(directory: output, as: description)
            }
        }
        await #expect(throws: CancellationError.self) { try await store.value }
        #expect(try cache.index.artifact(id: "a--1") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path).isEmpty)
        #expect(CacheRepair.artifactFiles(cache.layout).isEmpty)
    }

    @Test func repairDropsRowsWithoutFilesRefusesBrokenFilesWithoutRowsAndRemovesStagingLeftovers() async throws {
        let cache = try await CacheFixture()
        try await cache.put("keep--1")
        try await cache.put("lost--1")
        try FileManager.default.removeItem(at: cache.url(of: "lost--1"))
        let orphan = cache.layout.packages.appendingPathComponent("x86_64/orphan/orphan--9.tar.xz")
        try FileManager.default.createDirectory(at: orphan.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("no row".utf8).write(to: orphan)
        let leftover = cache.layout.tmp.appendingPathComponent(TemporaryName.make(for: "half--1"))
        try Data("half".utf8).write(to: leftover)

        let report = try CacheRepair.run(cache.index)
        #expect(report.droppedRows == ["lost--1"])
        #expect(report.rowless.adopted.isEmpty)
        #expect(report.rowless.refused.map(\.path) == ["packages/x86_64/orphan/orphan--9.tar.xz"])
        #expect(!FileManager.default.fileExists(atPath: orphan.path), "a refused file is removed")
        #expect(report.removedStaging == [leftover.lastPathComponent])
        #expect(try cache.index.artifacts().map(\.id) == ["keep--1"])
        #expect(try CacheVerifier.run(cache.index).isEmpty)
        #expect(try CacheRepair.run(cache.index).isEmpty)
    }

    @Test func repairLeavesAloneWhatALiveProcessHoldsLocked() async throws {
        let cache = try await CacheFixture()
        let leftover = cache.layout.tmp.appendingPathComponent(TemporaryName.make(for: "busy--1"))
        try Data("in progress".utf8).write(to: leftover)
        let lock = try #require(try FileLock.tryAcquire(cache.layout.lockFile(for: "busy--1")))
        #expect(try CacheRepair.run(cache.index).isEmpty)
        #expect(FileManager.default.fileExists(atPath: leftover.path))
        lock.unlock()
        #expect(try CacheRepair.run(cache.index).removedStaging.count == 1)
    }

    @Test func verifyReportsAFlippedByteAndAWrongSize() async throws {
        let cache = try await CacheFixture()
        try await cache.put("good--1", content: "good content")
        try await cache.put("flip--1", content: "flipped content")
        try await cache.put("cut--1", content: "truncated content")
        let flipped = try cache.url(of: "flip--1")
        var bytes = try Data(contentsOf: flipped)
        bytes[3] ^= 0x01
        try bytes.write(to: flipped)
        try Data("trunc".utf8).write(to: cache.url(of: "cut--1"))

        let findings = try CacheVerifier.run(cache.index)
        #expect(findings.map(\.id).sorted() == ["cut--1", "flip--1"])
        #expect(findings.first { $0.id == "flip--1" }?.problem.contains("corrupt") == true)
        #expect(findings.first { $0.id == "cut--1" }?.problem.contains("size is 5 bytes") == true)
    }

    @Test func gcKeepsTheNewestPerPackageOrOnlyWhatIsReferenced() async throws {
        let cache = try await CacheFixture()
        for version in 1...3 {
            try await cache.put("a--\(version)", name: "a")
            try await cache.put("a--\(version)", name: "a", arch: .aarch64)  // same id string: already cached
        }
        try await cache.put("b--1", name: "b")
        let removed = try await CacheCollector.keepLast(1, in: cache.index).removed
        #expect(Set(removed.map(\.id)) == ["a--1", "a--2"])
        #expect(try cache.index.artifacts().map(\.id).sorted() == ["a--3", "b--1"])
        #expect(CacheRepair.artifactFiles(cache.layout).count == 2)

        let unreferenced = try await CacheCollector.removeUnreferenced(keeping: ["b--1"], in: cache.index).removed
        #expect(unreferenced.map(\.id) == ["a--3"])
        #expect(try CacheCollector.statistics(cache.index).map(\.count) == [1])
        #expect(try CacheVerifier.run(cache.index).isEmpty)
    }
}
