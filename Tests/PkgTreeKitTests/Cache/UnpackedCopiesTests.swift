import Foundation
import Testing
@testable import PkgTreeKit
import RegistryTestSupport

/// `cache/unpacked/<arch>/<id>/`, the dependencies `DependencyUnpacker` unpacks for builds:
/// gc and repair remove them with their artifacts, on real tar.xz files and a real index, but
/// never while a run that builds holds them.
@Suite struct UnpackedCopiesTests {
    /// Stores a real packed artifact `id` (one file naming it) and unpacks it as a dependency.
    @discardableResult
    static func storeAndUnpack(_ cache: CacheFixture, _ id: String, name: String) async throws -> URL {
        let output = cache.layout.root.appendingPathComponent("output-\(id)")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("share"), withIntermediateDirectories: true)
        try Data(id.utf8).write(to: output.appendingPathComponent("share/id"))
        _ = try await cache.store.store(directory: output, as: CacheFixture.description(id, name: name), options: PackOptions(threads: 2))
        try FileManager.default.removeItem(at: output)
        return try await DependencyUnpacker(layout: cache.layout, index: cache.index).unpacked(id)
    }

    static func exists(_ cache: CacheFixture, _ id: String) -> Bool {
        FileStatus.isDirectory(cache.layout.unpackedCopy(arch: "x86_64", id: id).path)
    }

    static func tmp(_ cache: CacheFixture) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path)) ?? []
    }

    @Test func gcRemovesTheCopiesOfTheArtifactsItRemovesAndKeepsTheOthers() async throws {
        let cache = try await CacheFixture()
        for id in ["a--1", "a--2"] { try await Self.storeAndUnpack(cache, id, name: "a") }
        let kept = try await Self.storeAndUnpack(cache, "b--1", name: "b")
        #expect(cache.layout.unpackedCopy(arch: "x86_64", id: "b--1").appendingPathComponent("packages/b--1").path == kept.path)

        #expect(try await CacheCollector.keepLast(1, in: cache.index).removed.map(\.id) == ["a--1"])
        #expect(!Self.exists(cache, "a--1") && Self.exists(cache, "a--2") && Self.exists(cache, "b--1"))
        #expect(try await CacheCollector.removeUnreferenced(keeping: ["b--1"], in: cache.index).removed.map(\.id) == ["a--2"])
        #expect(!Self.exists(cache, "a--2"))
        #expect(try String(contentsOf: kept.appendingPathComponent("share/id"), encoding: .utf8) == "b--1")
        #expect(UnpackedCopies.all(cache.layout).map(\.id) == ["b--1"])
        #expect(Self.tmp(cache).isEmpty, "a copy goes by way of tmp/ and leaves nothing there")
        #expect(try CacheRepair.run(cache.index).isEmpty)
    }

    @Test func repairRemovesCopiesWithoutAnArtifactAndHalfMadeOnesButNotALockedOne() async throws {
        let cache = try await CacheFixture()
        try await Self.storeAndUnpack(cache, "keep--1", name: "keep")
        // A gc killed after the row went: the file and the copy stay behind.
        try await Self.storeAndUnpack(cache, "gone--1", name: "gone")
        try cache.index.deleteArtifacts(ids: ["gone--1"])
        // A copy whose artifact another process is storing right now.
        try await Self.storeAndUnpack(cache, "busy--1", name: "busy")
        try cache.index.deleteArtifacts(ids: ["busy--1"])
        let lock = try #require(try FileLock.tryAcquire(cache.layout.lockFile(for: "busy--1")))
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

    @Test func aDiscardedArtifactLosesItsCopySoTheRebuildUnpacksAnew() async throws {
        let cache = try await CacheFixture()
        try await Self.storeAndUnpack(cache, "dep--1", name: "dep")
        try FileManager.default.removeItem(at: try cache.url(of: "dep--1"))
        let lock = try #require(try FileLock.tryAcquire(cache.layout.lockFile(for: "dep--1")))
        defer { lock.unlock() }
        guard case .absent = try cache.store.lookUp("dep--1") else { Issue.record("a missing file is not cached"); return }
        #expect(!Self.exists(cache, "dep--1"))
    }

    @Test func aCopyHoldsActivationsLinkBesideThePackageAndAnOlderCopyIsGivenOne() async throws {
        let cache = try await CacheFixture()
        let content = try await Self.storeAndUnpack(cache, "lib--1", name: "lib")
        let copy = cache.layout.unpackedCopy(arch: "x86_64", id: "lib--1")
        let link = copy.appendingPathComponent("active/lib").path
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../packages/lib--1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted() == ["active", "packages"])

        // A copy made before copies held the link: the next build adds it, staged, and leaves nothing in tmp/.
        try FileManager.default.removeItem(at: copy.appendingPathComponent("active"))
        #expect(try await DependencyUnpacker(layout: cache.layout, index: cache.index).unpacked("lib--1") == content)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../packages/lib--1")
        #expect(try String(contentsOf: content.appendingPathComponent("share/id"), encoding: .utf8) == "lib--1")
        #expect(Self.tmp(cache).isEmpty)
        #expect(try CacheRepair.run(cache.index).isEmpty)
        #expect(try await CacheCollector.removeUnreferenced(keeping: [], in: cache.index).removed.map(\.id) == ["lib--1"])
        #expect(!Self.exists(cache, "lib--1"))
    }

    /// A run's builds have copies mounted: gc, repair and a discarded artifact leave every copy
    /// in place until the run lets go, and the next gc removes those whose artifact went.
    @Test func copiesStayWhileARunUsesThemAndGoWithTheNextGCAfterIt() async throws {
        let cache = try await CacheFixture()
        try await Self.storeAndUnpack(cache, "old--1", name: "old")
        try await Self.storeAndUnpack(cache, "dep--1", name: "dep")
        var run: UnpackedPackages? = UnpackedPackages(layout: cache.layout, index: cache.index)
        #expect(try await run?.packages([(id: "dep--1", name: "dep")]).count == 1)
        let used = cache.layout.unpackedCopy(arch: "x86_64", id: "dep--1").appendingPathComponent("packages/dep--1/share/id")

        #expect(try await CacheCollector.keepLast(0, in: cache.index).removed.map(\.id).sorted() == ["dep--1", "old--1"])
        #expect(try !CacheCollector.collectCopies(in: cache.index), "a run holds the copies")
        let repair = try CacheRepair.run(cache.index)
        #expect(repair.copiesInUse && repair.removedCopies.isEmpty)
        #expect(Self.exists(cache, "dep--1") && Self.exists(cache, "old--1"))
        #expect(try String(contentsOf: used, encoding: .utf8) == "dep--1")

        run = nil  // the run ends
        #expect(try CacheCollector.collectCopies(in: cache.index))
        #expect(UnpackedCopies.all(cache.layout).isEmpty && Self.tmp(cache).isEmpty)
        #expect(try CacheRepair.run(cache.index).isEmpty)
    }

    /// Another process that builds holds the copies the same way (`flock -s`, as a second
    /// pkgtree would): the lock is the cache's, not this process's.
    @Test func anotherProcessHoldingTheCopiesKeepsThemToo() async throws {
        let cache = try await CacheFixture()
        try await Self.storeAndUnpack(cache, "dep--1", name: "dep")
        let log = cache.layout.root.appendingPathComponent("holder.log")
        let holder = try await BackgroundProcess(["flock", "--shared", cache.layout.unpackedCopiesLock.path,
                                                  "sh", "-c", "echo holding; exec sleep 600"], log: log)
        defer { holder.kill() }
        #expect(await holder.wait(for: log) { $0.contains("holding") ? true : nil } == true)
        #expect(try await CacheCollector.removeUnreferenced(keeping: [], in: cache.index).removed.map(\.id) == ["dep--1"])
        #expect(try !CacheCollector.collectCopies(in: cache.index))
        #expect(Self.exists(cache, "dep--1"))
        await holder.stop()
        #expect(try CacheCollector.collectCopies(in: cache.index))
        #expect(!Self.exists(cache, "dep--1"))
    }
}
