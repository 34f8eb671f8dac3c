import Foundation
import Testing
@testable import PkgTreeKit

/// `cache/unpacked/<arch>/<id>/`, the dependencies `DependencyUnpacker` unpacks for builds:
/// gc and repair remove them with their artifacts, on real tar.xz files and a real index.
@Suite struct UnpackedCopiesTests {
    /// Stores a real packed artifact `id` (one file naming it) and unpacks it as a dependency.
    @discardableResult
    static func storeAndUnpack(_ cache: CacheFixture, _ id: String, name: String) throws -> URL {
        let output = cache.layout.root.appendingPathComponent("output-\(id)")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("share"), withIntermediateDirectories: true)
        try Data(id.utf8).write(to: output.appendingPathComponent("share/id"))
        _ = try cache.store.store(directory: output, as: CacheFixture.description(id, name: name), options: PackOptions(threads: 2))
        try FileManager.default.removeItem(at: output)
        return try DependencyUnpacker(layout: cache.layout, index: cache.index).unpacked(id)
    }

    static func exists(_ cache: CacheFixture, _ id: String) -> Bool {
        FileStatus.isDirectory(cache.layout.unpackedCopy(arch: "x86_64", id: id).path)
    }

    static func tmp(_ cache: CacheFixture) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path)) ?? []
    }

    @Test func gcRemovesTheCopiesOfTheArtifactsItRemovesAndKeepsTheOthers() throws {
        let cache = try CacheFixture()
        for id in ["a--1", "a--2"] { try Self.storeAndUnpack(cache, id, name: "a") }
        let kept = try Self.storeAndUnpack(cache, "b--1", name: "b")
        #expect(cache.layout.unpackedCopy(arch: "x86_64", id: "b--1") == kept)

        #expect(try CacheCollector.keepLast(1, in: cache.index).map(\.id) == ["a--1"])
        #expect(!Self.exists(cache, "a--1") && Self.exists(cache, "a--2") && Self.exists(cache, "b--1"))
        #expect(try CacheCollector.removeUnreferenced(keeping: ["b--1"], in: cache.index).map(\.id) == ["a--2"])
        #expect(!Self.exists(cache, "a--2"))
        #expect(try String(contentsOf: kept.appendingPathComponent("share/id"), encoding: .utf8) == "b--1")
        #expect(UnpackedCopies.all(cache.layout).map(\.id) == ["b--1"])
        #expect(Self.tmp(cache).isEmpty, "a copy goes by way of tmp/ and leaves nothing there")
        #expect(try CacheRepair.run(cache.index).isEmpty)
    }

    @Test func repairRemovesCopiesWithoutAnArtifactAndHalfMadeOnesButNotALockedOne() throws {
        let cache = try CacheFixture()
        try Self.storeAndUnpack(cache, "keep--1", name: "keep")
        // A gc killed after the row went: the file and the copy stay behind.
        try Self.storeAndUnpack(cache, "gone--1", name: "gone")
        try cache.index.deleteArtifacts(ids: ["gone--1"])
        // A copy whose artifact another process is storing right now.
        try Self.storeAndUnpack(cache, "busy--1", name: "busy")
        try cache.index.deleteArtifacts(ids: ["busy--1"])
        let lock = try FileLock.acquire(cache.layout.lockFile(for: "busy--1"))
        // An unpacker killed mid-extraction: its half-made copy is a staging directory.
        let halfMade = cache.layout.tmp.appendingPathComponent(TemporaryName.make(for: "half--1"))
        try FileManager.default.createDirectory(at: halfMade.appendingPathComponent("share"), withIntermediateDirectories: true)
        try Data("part".utf8).write(to: halfMade.appendingPathComponent("share/id"))

        let report = try CacheRepair.run(cache.index)
        #expect(report.removedCopies == ["unpacked/x86_64/gone--1"])
        #expect(report.rowless.refused.map(\.path) == ["packages/x86_64/gone/gone--1.tar.xz"], "its artifact has no pkgtree metadata, so it is not adopted")
        #expect(report.removedStaging == [halfMade.lastPathComponent])
        #expect(!Self.exists(cache, "gone--1") && Self.exists(cache, "keep--1") && Self.exists(cache, "busy--1"))
        #expect(Self.tmp(cache).isEmpty)

        lock.unlock()
        let later = try CacheRepair.run(cache.index)
        #expect(later.removedCopies == ["unpacked/x86_64/busy--1"])
        #expect(UnpackedCopies.all(cache.layout).map(\.id) == ["keep--1"])
        #expect(try CacheRepair.run(cache.index).isEmpty)
    }

    @Test func aDiscardedArtifactLosesItsCopySoTheRebuildUnpacksAnew() throws {
        let cache = try CacheFixture()
        try Self.storeAndUnpack(cache, "dep--1", name: "dep")
        try FileManager.default.removeItem(at: try cache.url(of: "dep--1"))
        let lock = try FileLock.acquire(cache.layout.lockFile(for: "dep--1"))
        defer { lock.unlock() }
        guard case .absent = try cache.store.lookUp("dep--1") else { Issue.record("a missing file is not cached"); return }
        #expect(!Self.exists(cache, "dep--1"))
    }
}
