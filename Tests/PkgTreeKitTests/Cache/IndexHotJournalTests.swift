import Foundation
import GRDB
import Testing
@testable import PkgTreeKit

/// A process killed while it made the index, before the index was in WAL mode, leaves a hot
/// rollback journal. Opening's first, read-only look cannot roll it back (SQLite refuses with
/// SQLITE_READONLY_ROLLBACK, which read as "permission denied" on every command after); the
/// open rolls it back and goes on.
@Suite struct IndexHotJournalTests {
    /// A cache whose index and journal are copied in the middle of a transaction that has
    /// written pages to the file: the copy's journal is hot, as a killed writer leaves it.
    static func cacheWithHotJournal() throws -> CacheLayout {
        let layout = CacheLayout(root: FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cache-\(UUID().uuidString)"))
        let making = layout.root.appendingPathComponent("making")
        try FileManager.default.createDirectory(at: making, withIntermediateDirectories: true)
        let source = making.appendingPathComponent("index.sqlite")
        let queue = try DatabaseQueue(path: source.path)  // rollback-journal mode, as a new file starts
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = 1")  // spills changed pages to the file before commit
            try db.execute(sql: "CREATE TABLE half_made (x)")
            try db.execute(sql: "BEGIN IMMEDIATE")
            for _ in 0..<2000 { try db.execute(sql: "INSERT INTO half_made VALUES (?)", arguments: [String(repeating: "x", count: 500)]) }
            for extra in ["", "-journal"] {
                try FileManager.default.copyItem(atPath: source.path + extra, toPath: layout.index.path + extra)
            }
            try db.execute(sql: "ROLLBACK")
        }
        return layout
    }

    @Test func aHotJournalIsRolledBackAndTheIndexOpens() async throws {
        let layout = try Self.cacheWithHotJournal()
        #expect(FileManager.default.fileExists(atPath: layout.index.path + "-journal"))
        let index = try await CacheIndex.open(layout)
        #expect(index.recovery == nil, "a sound index after the rollback: nothing moved aside")
        #expect(try index.artifacts().isEmpty)
        #expect(try index.integrityProblems().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: layout.index.path + "-journal"), "the journal was rolled back")
    }
}
