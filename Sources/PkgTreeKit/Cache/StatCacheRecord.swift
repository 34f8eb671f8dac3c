import GRDB

/// One row of the stat cache: a local input file's identity on disk and its content digest,
/// as git's index keeps them, so an unchanged file is never read again to be hashed.
struct StatCacheRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "stat_cache"

    var path: String
    var device: Int64
    var inode: Int64
    var size: Int64
    var mtimeNanoseconds: Int64
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case path, device, inode, size, sha256
        case mtimeNanoseconds = "mtime_ns"
    }

    static let upsertSQL = """
        INSERT OR REPLACE INTO stat_cache (path, device, inode, size, mtime_ns, sha256) VALUES (?, ?, ?, ?, ?, ?)
        """

    var arguments: StatementArguments {
        [path, device, inode, size, mtimeNanoseconds, sha256]
    }

    static func createTable(_ db: Database) throws {
        try db.create(table: databaseTableName) { table in
            table.primaryKey("path", .text)
            table.column("device", .integer).notNull()
            table.column("inode", .integer).notNull()
            table.column("size", .integer).notNull()
            table.column("mtime_ns", .integer).notNull()
            table.column("sha256", .text).notNull()
        }
    }
}
