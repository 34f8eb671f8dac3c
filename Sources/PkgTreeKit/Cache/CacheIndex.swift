import Foundation
import GRDB

/// The SQLite index of a cache (`cache/index.sqlite`, WAL mode), opened through GRDB on the
/// system libsqlite3. Several pkgtree processes may use one index at once: SQLite's locking
/// serializes writers, and a busy timeout makes them wait instead of failing.
public final class CacheIndex: Sendable {
    let database: DatabasePool
    public let layout: CacheLayout
    /// The index file's inode when opened: whether the file at `layout.index` is still this one.
    private let inode: UInt64?

    /// What this open did to heal the index (nil when it was there and sound).
    public let recovery: IndexRecovery?

    /// Opens the index, creating the cache directories and the schema if needed. An index
    /// that is missing, unreadable or damaged is rebuilt from the artifacts on disk (a
    /// damaged one is moved aside first, never deleted); one written by a newer pkgtree is
    /// refused. Every failure is a `UserFacingError` naming the path at fault. The index lock
    /// is awaited, not waited for in `flock`: a process opening the index while another heals
    /// it keeps its threads for its other tasks.
    public static func open(_ layout: CacheLayout) async throws -> CacheIndex {
        try UserFacingError.during("opening the cache", at: layout.root, alternative: CacheLayout.alternative) {
            for directory in [layout.root, layout.packages, layout.tmp, layout.locks] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        }
        let lock = try await FileLock.acquire(layout.indexLock)
        defer { lock.unlock() }
        return try CacheIndex(underIndexLock: layout)
    }

    /// Opens (and, if need be, heals) the index; the caller holds the index lock.
    private init(underIndexLock layout: CacheLayout) throws {
        self.layout = layout
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.label = "pkgtree.cache"
        let opened = try IndexFile.open(layout, configuration, migrator: Self.migrator)
        database = opened.pool
        inode = FileStatus.of(layout.index.path)?.inode
        if opened.isNew {
            // Under the index lock, so that another process opening now waits for the rows.
            let rebuild = try ArtifactAdoption.adopt(CacheRepair.artifactFiles(layout), into: CacheIndex(layout, opened.pool))
            recovery = IndexRecovery(movedAside: opened.movedAside, rebuild: rebuild)
        } else {
            recovery = nil
        }
    }

    /// The index over an open database, for the rebuild that fills it.
    private init(_ layout: CacheLayout, _ database: DatabasePool) {
        self.layout = layout
        self.database = database
        inode = FileStatus.of(layout.index.path)?.inode
        recovery = nil
    }

    /// Versioned schema changes; each runs once per index, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: artifacts and stat cache") { db in
            try ArtifactRecord.createTable(db)
            try StatCacheRecord.createTable(db)
        }
        migrator.registerMigration("v2: artifact file stamps") { db in
            try ArtifactRow.addStampColumns(db)
        }
        migrator.registerMigration("v3: bootstrap fragments") { db in
            try FragmentRecord.createTable(db)
        }
        return migrator
    }

    /// What SQLite's full check finds wrong in the index file (empty when it is sound).
    public func integrityProblems() throws -> [String] {
        let verdict: [String]
        do {
            verdict = try database.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode) {
            return [error.message ?? "damaged"]  // a page too broken for the check to go on
        } catch {
            throw UserFacingError(explaining: error, action: "checking the cache index", path: layout.index) ?? error
        }
        return verdict == ["ok"] ? [] : verdict
    }

    // MARK: - Artifacts

    public func artifact(id: String) throws -> ArtifactRecord? {
        try read { try ArtifactRecord.fetchOne($0, key: id) }
    }

    /// The rows of those of `ids` that have an artifact (the part that places and checks the file).
    func artifactRows(ids: [String]) throws -> [ArtifactRow] {
        try read { db in
            try stride(from: 0, to: ids.count, by: 500).flatMap { start in
                try ArtifactRow.fetchAll(db, keys: Array(ids[start..<min(start + 500, ids.count)]))
            }
        }
    }

    /// The rows of every artifact (of one architecture).
    func artifactRows(arch: Architecture? = nil) throws -> [ArtifactRow] {
        try read { db in
            var request = ArtifactRow.all()
            if let arch { request = request.filter(Column("arch") == arch.rawValue) }
            return try request.order(Column("path")).fetchAll(db)
        }
    }

    func artifactRow(id: String) throws -> ArtifactRow? {
        try read { try ArtifactRow.fetchOne($0, key: id) }
    }

    public func artifacts(arch: Architecture? = nil) throws -> [ArtifactRecord] {
        try read { db in
            var request = ArtifactRecord.all()
            if let arch { request = request.filter(Column("arch") == arch.rawValue) }
            return try request.order(Column("arch"), Column("name"), Column("created_at")).fetchAll(db)
        }
    }

    /// Commits the row of a stored artifact, with the stamp of its file, in one transaction.
    func insert(_ record: ArtifactRecord, stamp: ArtifactRow.Stamp) throws {
        try write { db in
            try record.insert(db, onConflict: .replace)
            try db.execute(sql: ArtifactRow.restampSQL, arguments: stamp.arguments + [record.id, record.sha256])
        }
    }

    /// Records the stamp of a file re-hashed and found right, so the next lookup need not read it.
    func restamp(_ row: ArtifactRow, _ stamp: ArtifactRow.Stamp) throws {
        try write { try $0.execute(sql: ArtifactRow.restampSQL, arguments: stamp.arguments + [row.id, row.sha256]) }
    }

    func deleteArtifacts(ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try write { _ = try ArtifactRecord.deleteAll($0, keys: ids) }
    }

    // MARK: - Stat cache

    func statCacheRecords() throws -> [StatCacheRecord] {
        try read { try StatCacheRecord.fetchAll($0) }
    }

    func saveStatCache(_ records: [StatCacheRecord]) throws {
        guard !records.isEmpty else { return }
        try write { db in
            // One prepared statement for thousands of rows: the record API's per-row encoding
            // was a tenth of a cold `plan` of 5,000 packages.
            let statement = try db.makeStatement(sql: StatCacheRecord.upsertSQL)
            for record in records { try statement.execute(arguments: record.arguments) }
        }
    }

    // MARK: - Access

    /// Every query of the index goes through `read` and `write` (the other tables' files too),
    /// so that SQLite's errors are said with the index's path and damage is quarantined.
    func read<Value>(_ body: (Database) throws -> Value) throws -> Value {
        do {
            return try database.read(body)
        } catch {
            throw explained(error, "reading the cache index")
        }
    }

    func write<Value>(_ body: (Database) throws -> Value) throws -> Value {
        do {
            return try database.write(body)
        } catch {
            throw explained(error, "writing the cache index")
        }
    }

    /// SQLite's error said with the index's path; damage found now (a page deep in a table,
    /// which opening does not read) moves the file aside, so that the next command rebuilds it.
    private func explained(_ error: Error, _ action: String) -> Error {
        guard let database = error as? DatabaseError else { return error }
        if [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(database.resultCode.primaryResultCode) {
            return IndexFile.quarantine(layout, inode: inode, reason: database.message ?? "damaged", action: action)
        }
        return UserFacingError(explaining: error, action: action, path: layout.index, alternative: CacheLayout.alternative) ?? error
    }
}
