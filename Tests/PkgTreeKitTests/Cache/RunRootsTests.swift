import Foundation
import Testing
@testable import PkgTreeKit
import RegistryTestSupport

/// `locks/runs/`: gc leaves what a running build registered, in this process or another, and
/// forgets the roots of a run that is over; on a real index and real lock files.
@Suite struct RunRootsTests {
    static func roots(_ cache: CacheFixture) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.layout.runRoots.path)) ?? []
    }

    @Test func gcKeepsWhatARunningBuildNeedsUntilItEnds() async throws {
        let cache = try await CacheFixture()
        for id in ["a--1", "a--2", "b--1"] { try await cache.put(id, name: String(id.prefix(1))) }
        var run: RunRoots? = try await RunRoots.register(["a--1", "b--1", "not-cached--1"], cache.layout)
        #expect(Self.roots(cache).count == 1)

        let kept = try await CacheCollector.keepLast(0, in: cache.index)
        #expect(kept.removed.map(\.id) == ["a--2"])
        #expect(kept.keptForRunningBuilds.map(\.id).sorted() == ["a--1", "b--1"])
        let unreferenced = try await CacheCollector.removeUnreferenced(keeping: [], in: cache.index)
        #expect(unreferenced.removed.isEmpty && unreferenced.keptForRunningBuilds.count == 2)
        #expect(try cache.index.artifacts().map(\.id).sorted() == ["a--1", "b--1"])

        withExtendedLifetime(run) {}  // held until here, even were the compiler to end it sooner
        run = nil  // the run ends: its roots file goes with it
        #expect(Self.roots(cache).isEmpty)
        let after = try await CacheCollector.keepLast(0, in: cache.index)
        #expect(after.removed.map(\.id).sorted() == ["a--1", "b--1"] && after.keptForRunningBuilds.isEmpty)
        #expect(try CacheVerifier.run(cache.index).isEmpty)
    }

    /// A killed run leaves its file, unlocked: gc removes it and keeps nothing for it.
    @Test func theRootsOfAKilledRunAreForgotten() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", name: "a")
        try FileManager.default.createDirectory(at: cache.layout.runRoots, withIntermediateDirectories: true)
        try Data("a--1\n".utf8).write(to: cache.layout.runRoots.appendingPathComponent("\(UUID().uuidString).ids"))
        #expect(try await CacheCollector.keepLast(0, in: cache.index).removed.map(\.id) == ["a--1"])
        #expect(Self.roots(cache).isEmpty)
    }

    /// Repair (run whenever the cache is opened) removes a killed run's file too, and leaves
    /// a live run's; it says nothing of either, as of lock files.
    @Test func repairRemovesTheRootsOfAKilledRunOnly() async throws {
        let cache = try await CacheFixture()
        let live = try await RunRoots.register(["a--1"], cache.layout)
        let killed = cache.layout.runRoots.appendingPathComponent("\(UUID().uuidString).ids")
        try Data("b--1\n".utf8).write(to: killed)
        #expect(try CacheRepair.run(cache.index).isEmpty)
        #expect(Self.roots(cache).count == 1 && !FileManager.default.fileExists(atPath: killed.path))
        withExtendedLifetime(live) {}
    }

    /// Another process's run (its file locked by `flock`, as a second pkgtree holds it) counts.
    @Test func anotherProcessesRunKeepsItsArtifacts() async throws {
        let cache = try await CacheFixture()
        try await cache.put("a--1", name: "a")
        let file = cache.layout.runRoots.appendingPathComponent("\(UUID().uuidString).ids")
        try FileManager.default.createDirectory(at: cache.layout.runRoots, withIntermediateDirectories: true)
        try Data("a--1\n".utf8).write(to: file)
        let log = cache.layout.root.appendingPathComponent("holder.log")
        let holder = try await BackgroundProcess(["flock", file.path, "sh", "-c", "echo holding; exec sleep 600"], log: log)
        defer { holder.kill() }
        #expect(await holder.wait(for: log) { $0.contains("holding") ? true : nil } == true)
        let kept = try await CacheCollector.keepLast(0, in: cache.index)
        #expect(kept.removed.isEmpty && kept.keptForRunningBuilds.map(\.id) == ["a--1"])
        await holder.stop()
        #expect(try await CacheCollector.keepLast(0, in: cache.index).removed.map(\.id) == ["a--1"])
    }

    /// A run registering waits for a gc pass in progress, so it never checks the cache between
    /// gc reading the roots and gc removing.
    @Test func registeringWaitsForAGcPass() async throws {
        let cache = try await CacheFixture()
        let heldOff = try await RunRoots.whileCollecting(cache.layout) { live in
            #expect(live.isEmpty)
            return try FileLock.tryAcquire(cache.layout.runRootsLock, shared: true) == nil
        }
        #expect(heldOff, "a run could have registered during the gc pass")
        _ = try await RunRoots.register(["a--1"], cache.layout)
    }
}
