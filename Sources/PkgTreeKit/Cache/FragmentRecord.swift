import Foundation
import GRDB

/// One bootstrap fragment in the cache: a package's part of a bootstrap (its entries under
/// `packages/<id>/`, without the end-of-archive blocks) compressed once as an xz stream, so
/// that every bootstrap holding the package copies it instead of compressing it again. Only
/// its row in `bootstrap_fragment` makes a file under `fragments/` count.
///
/// A fragment is made from the artifact whose sha256 it records: an artifact stored again with
/// other bytes (rebuilt after corruption, imported) has no fragment until one is made from it.
/// `form` names how it was made (layout, xz level, mtime: `FragmentForm` in Bootstrap/), so a
/// bootstrap made another way never takes it. `listing` is the entries it holds, in the
/// encoding of the Bootstrap layer, which checks every one of them before a bootstrap is written.
public struct FragmentRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "bootstrap_fragment"

    /// The package id.
    public var id: String
    public var form: String
    public var name: String
    public var arch: String
    /// Relative to the cache root.
    public var path: String
    public var size: Int64
    /// SHA-256 (hex) of the fragment file.
    public var sha256: String
    /// SHA-256 of the artifact it was made from.
    public var artifactSHA256: String
    /// Bytes of the tar stream inside (what `xz -l` calls "Uncompressed").
    public var tarBytes: Int64
    var listing: Data
    public var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, form, name, arch, path, size, sha256, listing
        case artifactSHA256 = "artifact_sha256"
        case tarBytes = "tar_bytes"
        case createdAt = "created_at"
    }

    /// Migration v3.
    static func createTable(_ db: Database) throws {
        try db.create(table: databaseTableName) { table in
            table.column("id", .text).notNull()
            table.column("form", .text).notNull()
            table.column("name", .text).notNull()
            table.column("arch", .text).notNull()
            table.column("path", .text).notNull().unique()
            table.column("size", .integer).notNull()
            table.column("sha256", .text).notNull()
            table.column("artifact_sha256", .text).notNull()
            table.column("tar_bytes", .integer).notNull()
            table.column("listing", .blob).notNull()
            table.column("created_at", .double).notNull()
            table.primaryKey(["id", "form"])
        }
    }

    /// `fragments/<arch>/<name>/<id>.<form>.xz`, relative to the cache root. Not `.tar.xz`:
    /// on its own it is no archive (it has no end-of-archive blocks).
    static func path(arch: String, name: String, id: String, form: String) -> String {
        "\(CacheLayout.fragmentsDirectory)/\(arch)/\(name)/\(id).\(form)\(fileSuffix)"
    }

    static let fileSuffix = ".xz"

    /// Fragments whose artifact is gone, or was stored again with other bytes since.
    static let orphansSQL = """
        SELECT f.* FROM bootstrap_fragment f LEFT JOIN artifact a ON a.id = f.id
        WHERE a.id IS NULL OR a.sha256 != f.artifact_sha256 ORDER BY f.path
        """
}

extension CacheIndex {
    /// The fragments of `ids` in `form`, by package id.
    func fragments(ids: [String], form: String) throws -> [String: FragmentRecord] {
        try read { db in
            var found: [String: FragmentRecord] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                for record in try FragmentRecord.filter(chunk.contains(Column("id")) && Column("form") == form).fetchAll(db) {
                    found[record.id] = record
                }
            }
            return found
        }
    }

    func fragment(id: String, form: String) throws -> FragmentRecord? {
        try read { try FragmentRecord.fetchOne($0, key: ["id": id, "form": form]) }
    }

    /// Every fragment (of one architecture), by path.
    public func fragments(arch: Architecture? = nil) throws -> [FragmentRecord] {
        try read { db in
            var request = FragmentRecord.all()
            if let arch { request = request.filter(Column("arch") == arch.rawValue) }
            return try request.order(Column("path")).fetchAll(db)
        }
    }

    func orphanFragments() throws -> [FragmentRecord] {
        try read { try FragmentRecord.fetchAll($0, sql: FragmentRecord.orphansSQL) }
    }

    /// Commits a fragment's row (replacing one of the same id and form).
    func insert(_ record: FragmentRecord) throws {
        try write { try record.insert($0, onConflict: .replace) }
    }

    func deleteFragment(_ record: FragmentRecord) throws {
        try write { _ = try FragmentRecord.deleteOne($0, key: ["id": record.id, "form": record.form]) }
    }
}
