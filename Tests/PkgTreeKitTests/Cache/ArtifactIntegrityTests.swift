import Foundation
import GRDB
import Testing
@testable import PkgTreeKit

/// Stamps on artifact files (git's index, for the cache): an untouched file is trusted without
/// being read, a changed one is re-hashed, and a corrupt one is discarded under its lock.
@Suite struct ArtifactIntegrityTests {
    static func file(_ cache: CacheFixture, _ id: String) throws -> ArtifactRow {
        try #require(try cache.index.artifactRow(id: id))
    }

    /// Makes the row disagree with the file's content while its stamp still matches: what
    /// bits rotting on the disk look like to a lookup.
    static func rot(_ cache: CacheFixture, _ id: String) throws {
        try cache.index.database.write { try $0.execute(sql: "UPDATE artifact SET sha256 = ? WHERE id = ?", arguments: [String(repeating: "0", count: 64), id]) }
    }

    static func flipAByte(_ url: URL) throws {
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: url)
    }

    @Test func aStoredFileIsStampedAndTrustedUntilItChanges() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "some content")
        let stored = try Self.file(cache, "a--1")
        #expect(stored.stamp == FileStatus.of(try cache.url(of: "a--1").path).map(ArtifactRow.Stamp.init))
        try Self.rot(cache, "a--1")
        // Same stamp: not read, so the wrong sha256 goes unnoticed by a lookup…
        #expect(cache.store.condition(of: try Self.file(cache, "a--1")) == .intact)
        // …but not by a re-hash (verify, unpacking a dependency).
        guard case .corrupt(let reason) = cache.store.condition(of: try Self.file(cache, "a--1"), rehash: true) else {
            Issue.record("a re-hash should find the mismatch")
            return
        }
        #expect(reason.contains("the index says 0000"))
    }

    @Test func aFlippedByteIsFoundEvenWithTheOldMtimePutBack() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "content to flip")
        let url = try cache.url(of: "a--1")
        let before = try #require(FileStatus.of(url.path))
        try Self.flipAByte(url)
        let mtime = timespec(tv_sec: Int(before.modificationNanoseconds / 1_000_000_000), tv_nsec: Int(before.modificationNanoseconds % 1_000_000_000))
        var times = [mtime, mtime]  // access and modification time
        #expect(utimensat(AT_FDCWD, url.path, &times, 0) == 0)
        #expect(FileStatus.of(url.path)?.modificationNanoseconds == before.modificationNanoseconds)
        guard case .corrupt(let reason) = cache.store.condition(of: try Self.file(cache, "a--1")) else {
            Issue.record("the ctime moved, so the file should have been re-hashed")
            return
        }
        #expect(reason.hasPrefix("sha256 is "))
        #expect(try cache.store.intactIDs(among: ["a--1"]).isEmpty)
    }

    @Test func lookUpDiscardsACorruptArtifactRowAndFile() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "content to flip")
        try await cache.put("b--1", content: "intact")
        let url = try cache.url(of: "a--1")
        try Self.flipAByte(url)
        guard case .discarded(let path, _) = try cache.store.lookUp("a--1") else {
            Issue.record("a corrupt artifact should be discarded")
            return
        }
        #expect(path == "packages/x86_64/a/a--1.tar.xz")
        #expect(try cache.index.artifact(id: "a--1") == nil)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try cache.store.intactIDs(among: ["a--1", "b--1"]) == ["b--1"])
        // Storing it again works as for any id not cached.
        guard case .stored = try await cache.put("a--1", content: "rebuilt") else {
            Issue.record("the id should be stored again")
            return
        }
        #expect(try CacheVerifier.run(cache.index).isEmpty)
    }

    @Test func aChangedStampWithTheSameContentIsReHashedOnceAndStampedAgain() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "copied around")
        let url = try cache.url(of: "a--1")
        // A copy put back in place, as a restore from backup does: new inode, new times.
        let copy = url.appendingPathExtension("copy")
        try FileManager.default.copyItem(at: url, to: copy)
        #expect(rename(copy.path, url.path) == 0)
        let old = try Self.file(cache, "a--1")
        #expect(old.stamp != FileStatus.of(url.path).map(ArtifactRow.Stamp.init))
        #expect(cache.store.condition(of: old) == .intact)
        #expect(try Self.file(cache, "a--1").stamp == FileStatus.of(url.path).map(ArtifactRow.Stamp.init))
    }

    @Test func rowsStoredBeforeStampsAreHashedOnceThenTrusted() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", content: "from an older pkgtree")
        try await cache.index.database.write {
            try $0.execute(sql: "UPDATE artifact SET file_inode = NULL, file_mtime_ns = NULL, file_ctime_ns = NULL")
        }
        #expect(try Self.file(cache, "a--1").stamp == nil)
        #expect(try cache.store.intactIDs(among: ["a--1"]) == ["a--1"])
        #expect(try Self.file(cache, "a--1").stamp != nil)
    }

    @Test func aDependencyWhoseBitsRottedIsRefusedWhenUnpackedAndDiscarded() async throws {
        let cache = try await CacheFixture()
        let output = try cache.output("share/name", content: Data("dependency".utf8))
        let description = CacheFixture.description("dep--1")
        _ = try await cache.store.store(directory: output, as: description)
        try Self.rot(cache, "dep--1")
        let unpacker = DependencyUnpacker(layout: cache.layout, index: cache.index)
        let error = try await #require(throws: CacheError.self) { try await unpacker.unpacked("dep--1") }
        #expect("\(error)".contains("the artifact of the dependency dep--1 was corrupted (sha256 is "))
        #expect("\(error)".contains("the next build rebuilds it"))
        #expect(try cache.index.artifact(id: "dep--1") == nil)
        #expect(!FileManager.default.fileExists(atPath: cache.layout.root.appendingPathComponent("unpacked/x86_64/dep--1").path))

        _ = try await cache.store.store(directory: output, as: description)
        let unpacked = try await unpacker.unpacked("dep--1")
        #expect(try String(contentsOf: unpacked.appendingPathComponent("share/name"), encoding: .utf8) == "dependency")
    }
}
