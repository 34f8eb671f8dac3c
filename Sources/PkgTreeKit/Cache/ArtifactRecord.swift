import Foundation
import GRDB

/// One built package in the cache: the row of the `artifact` table, which is the only thing
/// that makes a file under `packages/` count as a valid artifact.
public struct ArtifactRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "artifact"

    public var id: String
    public var name: String
    public var variant: String?
    public var arch: String
    /// Relative to the cache root.
    public var path: String
    public var size: Int64
    /// SHA-256 (hex) of the `.tar.xz` file.
    public var sha256: String
    /// Seconds the build took (0 for imported artifacts).
    public var buildDuration: Double
    /// Unix time the artifact was stored.
    public var createdAt: Double
    /// The builder identity, as JSON.
    public var builder: String
    /// Every input that went into the id, as canonical JSON (for `pkgtree why`).
    public var inputs: String

    enum CodingKeys: String, CodingKey {
        case id, name, variant, arch, path, size, sha256
        case buildDuration = "build_duration"
        case createdAt = "created_at"
        case builder, inputs
    }

    static func createTable(_ db: Database) throws {
        try db.create(table: databaseTableName) { table in
            table.primaryKey("id", .text)
            table.column("name", .text).notNull()
            table.column("variant", .text)
            table.column("arch", .text).notNull()
            table.column("path", .text).notNull().unique()
            table.column("size", .integer).notNull()
            table.column("sha256", .text).notNull()
            table.column("build_duration", .double).notNull()
            table.column("created_at", .double).notNull()
            table.column("builder", .text).notNull()
            table.column("inputs", .text).notNull()
        }
        try db.create(index: "artifact_by_package", on: databaseTableName, columns: ["arch", "name", "variant", "created_at"])
    }
}
