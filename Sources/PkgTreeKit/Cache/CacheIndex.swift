import Foundation
import GRDB

/// The SQLite index of a cache (`cache/index.sqlite`, WAL mode), opened through GRDB on the
/// system libsqlite3. Several pkgtree processes may use one index at once: SQLite's locking
/// serializes writers, and a busy timeout makes them wait instead of failing.
public final class CacheIndex: Sendable {
    let database: DatabasePool
    public let layout: CacheLayout

    /// Opens the index, creating the cache directories and the schema if needed.
    public init(_ layout: CacheLayout) throws {
        self.layout = layout
        for directory in [layout.root, layout.packages, layout.tmp, layout.locks] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.label = "pkgtree.cache"
        database = try DatabasePool(path: layout.index.path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Opens the index only when it already exists: read-only commands (`plan`) must not
    /// create a cache as a side effect.
    public static func openIfPresent(_ layout: CacheLayout) throws -> CacheIndex? {
        FileManager.default.fileExists(atPath: layout.index.path) ? try CacheIndex(layout) : nil
    }

    /// Versioned schema changes; each runs once per index, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: artifacts and stat cache") { db in
            try ArtifactRecord.createTable(db)
            try StatCacheRecord.createTable(db)
        }
        migrator.registerMigration("v2: artifact file stamps") { db in
            try ArtifactFile.addStampColumns(db)
        }
        migrator.registerMigration("v3: bootstrap fragments") { db in
            try FragmentRecord.createTable(db)
        }
        return migrator
    }

    // MARK: - Artifacts

    public func artifact(id: String) throws -> ArtifactRecord? {
        try database.read { try ArtifactRecord.fetchOne($0, key: id) }
    }

    /// The files of those of `ids` that have an artifact.
    func artifactFiles(ids: [String]) throws -> [ArtifactFile] {
        try database.read { db in
            try stride(from: 0, to: ids.count, by: 500).flatMap { start in
                try ArtifactFile.fetchAll(db, keys: Array(ids[start..<min(start + 500, ids.count)]))
            }
        }
    }

    /// The files of every artifact (of one architecture).
    func artifactFiles(arch: Architecture? = nil) throws -> [ArtifactFile] {
        try database.read { db in
            var request = ArtifactFile.all()
            if let arch { request = request.filter(Column("arch") == arch.rawValue) }
            return try request.order(Column("path")).fetchAll(db)
        }
    }

    func artifactFile(id: String) throws -> ArtifactFile? {
        try database.read { try ArtifactFile.fetchOne($0, key: id) }
    }

    public func artifacts(arch: Architecture? = nil) throws -> [ArtifactRecord] {
        try database.read { db in
            var request = ArtifactRecord.all()
            if let arch { request = request.filter(Column("arch") == arch.rawValue) }
            return try request.order(Column("arch"), Column("name"), Column("created_at")).fetchAll(db)
        }
    }

    /// Commits the row of a stored artifact, with the stamp of its file, in one transaction.
    func insert(_ record: ArtifactRecord, stamp: ArtifactFile.Stamp) throws {
        try database.write { db in
            try record.insert(db, onConflict: .replace)
            try db.execute(sql: ArtifactFile.restampSQL, arguments: stamp.arguments + [record.id, record.sha256])
        }
    }

    /// Records the stamp of a file re-hashed and found right, so the next lookup need not read it.
    func restamp(_ file: ArtifactFile, _ stamp: ArtifactFile.Stamp) throws {
        try database.write { try $0.execute(sql: ArtifactFile.restampSQL, arguments: stamp.arguments + [file.id, file.sha256]) }
    }

    func deleteArtifacts(ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try database.write { _ = try ArtifactRecord.deleteAll($0, keys: ids) }
    }

    // MARK: - Stat cache

    func statCacheRecords() throws -> [StatCacheRecord] {
        try database.read { try StatCacheRecord.fetchAll($0) }
    }

    func saveStatCache(_ records: [StatCacheRecord]) throws {
        guard !records.isEmpty else { return }
        try database.write { db in
            // One prepared statement for thousands of rows: the record API's per-row encoding
            // was a tenth of a cold `plan` of 5,000 packages.
            let statement = try db.makeStatement(sql: StatCacheRecord.upsertSQL)
            for record in records { try statement.execute(arguments: record.arguments) }
        }
    }
}
