import Foundation
import GRDB
import Testing
@testable import PkgTreeKit

/// Damage that opening does not read (a table's page) is found by the query that reads it:
/// the index is moved aside, unless another process holds the index lock (it is opening, and
/// maybe replacing, the index right now): then it is left in place, and the error says so.
@Suite struct IndexQuarantineTests {
    /// A cache with one artifact whose `artifact` table page is zeroed, with no open index.
    static func damagedCache() async throws -> CacheLayout {
        let layout = try await {
            let cache = try await CacheFixture()
            try await cache.put("hello--1")
            return cache.layout
        }()  // the fixture's pool closes here, so the rows are in the main file, not the WAL
        let (page, size) = try await DatabaseQueue(path: layout.index.path).read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'artifact'")!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        let file = try FileHandle(forUpdating: layout.index)
        defer { try? file.close() }
        try file.seek(toOffset: UInt64((page - 1) * size))
        try file.write(contentsOf: Data(count: size))
        return layout
    }

    /// The index files moved aside (without their `-wal` and `-shm` files).
    static func asideFiles(_ layout: CacheLayout) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: layout.root.path)
            .filter { $0.hasPrefix("index.sqlite.corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
    }

    @Test(.timeLimit(.minutes(10))) func damageFoundWhileAnotherProcessOpensTheIndexIsLeftInPlaceThenMovedAsideWhenFree() async throws {
        let layout = try await Self.damagedCache()
        let index = try await CacheIndex.open(layout)
        #expect(index.recovery == nil, "opening reads the schema, not the damaged page")

        let opener = try #require(try FileLock.tryAcquire(layout.indexLock), "the index lock is free")
        let whileOpening = try #require(throws: UserFacingError.self) { try index.artifacts() }
        #expect(whileOpening.description.contains("left in place, as another pkgtree process is opening it right now"), "\(whileOpening)")
        #expect(try Self.asideFiles(layout).isEmpty, "moved aside under another process's open")
        opener.unlock()

        let free = try #require(throws: UserFacingError.self) { try index.artifacts() }
        let aside = try Self.asideFiles(layout)
        #expect(aside.count == 1 && free.description.contains("moved it aside to \(layout.root.path)/\(aside[0])"), "\(aside) \(free)")
        let reopened = try await CacheIndex.open(layout)
        #expect(reopened.recovery != nil, "the next open makes a new index and fills it from the artifacts")
        #expect(try reopened.integrityProblems().isEmpty)
    }
}
