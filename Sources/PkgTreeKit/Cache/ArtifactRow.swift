import GRDB

/// An artifact's row of the index, as far as it says where the file is and what it must be:
/// enough to check the file without loading the row's build inputs (tens of kB for a package deep in a
/// large tree). The stamp columns were added by migration v2; rows stored before have none.
public struct ArtifactRow: Codable, Sendable, Hashable, FetchableRecord, TableRecord {
    public static let databaseTableName = ArtifactRecord.databaseTableName
    public static var databaseSelection: [any SQLSelectable] { CodingKeys.allCases.map { Column($0.rawValue) } }

    public var id: String
    public var arch: String
    /// Relative to the cache root.
    public var path: String
    public var size: Int64
    public var sha256: String
    var inode: Int64?
    var modificationNanoseconds: Int64?
    var changeNanoseconds: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, arch, path, size, sha256
        case inode = "file_inode"
        case modificationNanoseconds = "file_mtime_ns"
        case changeNanoseconds = "file_ctime_ns"
    }

    /// The file's stamp when it was stored (or last re-hashed), if the row has one.
    var stamp: Stamp? {
        guard let inode, let modificationNanoseconds, let changeNanoseconds else { return nil }
        return Stamp(size: size, inode: inode, modificationNanoseconds: modificationNanoseconds, changeNanoseconds: changeNanoseconds)
    }

    /// What `stat` says of a file, as git's index keeps it: a file whose stamp is unchanged is
    /// taken to be unchanged. Writing changes the mtime, and nothing short of the clock
    /// changes the ctime, which also moves on rename, chmod and link, so a file touched back
    /// to its old mtime or replaced by a copy is caught as well.
    struct Stamp: Sendable, Hashable {
        var size: Int64
        var inode: Int64
        var modificationNanoseconds: Int64
        var changeNanoseconds: Int64

        init(size: Int64, inode: Int64, modificationNanoseconds: Int64, changeNanoseconds: Int64) {
            self.size = size
            self.inode = inode
            self.modificationNanoseconds = modificationNanoseconds
            self.changeNanoseconds = changeNanoseconds
        }

        init(_ status: FileStatus) {
            self.init(size: status.size, inode: Int64(bitPattern: status.inode),
                      modificationNanoseconds: status.modificationNanoseconds, changeNanoseconds: status.changeNanoseconds)
        }

        var arguments: StatementArguments { [inode, modificationNanoseconds, changeNanoseconds] }
    }

    /// Migration v2: the stamp columns, empty for rows stored before.
    static func addStampColumns(_ db: Database) throws {
        try db.alter(table: databaseTableName) { table in
            table.add(column: CodingKeys.inode.rawValue, .integer)
            table.add(column: CodingKeys.modificationNanoseconds.rawValue, .integer)
            table.add(column: CodingKeys.changeNanoseconds.rawValue, .integer)
        }
    }

    /// Sets the stamp of `id`'s file, unless the row changed meanwhile (another process
    /// stored the id again with other content).
    static let restampSQL = "UPDATE artifact SET file_inode = ?, file_mtime_ns = ?, file_ctime_ns = ? WHERE id = ? AND sha256 = ?"
}
