import Foundation
import GRDB

/// The file `cache/index.sqlite` itself: opening it, telling a damaged file (moved aside, and
/// the index rebuilt from the artifacts) from a bad environment (said, nothing touched) and
/// from an index a newer pkgtree wrote (refused, never changed). One process at a time does
/// this, under `locks/index.lock`, so two never move aside each other's fresh index.
enum IndexFile {
    struct Opened {
        var pool: DatabasePool
        /// Made by this open: empty, to be filled from the artifacts on disk.
        var isNew: Bool
        var movedAside: IndexRecovery.MovedAside?
    }

    static let action = "opening the cache index"

    /// Opens the index at `layout.index`, creating it when missing and replacing it when
    /// damaged. The caller holds the index lock.
    static func open(_ layout: CacheLayout, _ configuration: Configuration, migrator: DatabaseMigrator) throws -> Opened {
        if FileStatus.of(layout.index.path) != nil {
            switch try attempt(layout, configuration, migrator: migrator) {
            case .opened(let pool):
                return Opened(pool: pool, isNew: false, movedAside: nil)
            case .damaged(let reason):
                let aside = try moveAside(layout, reason: reason)
                return Opened(pool: try create(layout, configuration, migrator: migrator), isNew: true, movedAside: aside)
            }
        }
        return Opened(pool: try create(layout, configuration, migrator: migrator), isNew: true, movedAside: nil)
    }

    private enum Attempt {
        case opened(DatabasePool)
        case damaged(String)
    }

    private static func attempt(_ layout: CacheLayout, _ configuration: Configuration, migrator: DatabaseMigrator) throws -> Attempt {
        do {
            // Read-only first (`readSchema`). Reading the schema and the migrations also finds a file that is no index, or one cut
            // short or overwritten at its start. SQLite's full check would find a damaged
            // page deep in a table too, but reads every page (a tenth of a second for a large
            // tree's index, on every command): such damage is found where it is read instead
            // (`CacheIndex` moves the file aside then), and by `cache verify`.
            do {
                try readSchema(layout, configuration, migrator: migrator)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
                // A hot rollback journal (a process killed while it made the index, before the
                // index was in WAL mode) is rolled back only by a connection that may write:
                // SQLite does so on its first read, restoring the last committed content.
                try DatabaseQueue(path: layout.index.path, configuration: configuration).read { _ = try Int.fetchOne($0, sql: "PRAGMA schema_version") }
                try readSchema(layout, configuration, migrator: migrator)
            }
            let pool = try DatabasePool(path: layout.index.path, configuration: configuration)
            try migrator.migrate(pool)
            return .opened(pool)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode.primaryResultCode) {
            return .damaged(error.message ?? "not an SQLite database")
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_CANTOPEN {
            // Unreadable itself (not a file, no read permission) is damage; a directory where
            // SQLite cannot make its -wal file is the environment's, said as such.
            if let unreadable = unreadable(layout.index), PathDiagnosis.permission(layout.root.path) == nil {
                return .damaged(unreadable)
            }
            throw UserFacingError(explaining: error, action: action, path: layout.index, alternative: CacheLayout.alternative) ?? error
        } catch let error as DatabaseError {
            throw UserFacingError(explaining: error, action: action, path: layout.index, alternative: CacheLayout.alternative) ?? error
        }
    }

    /// Reads the schema and the migrations read-only: a pool writes to the file as it opens
    /// (GRDB makes sure of a WAL file), and an index of a newer pkgtree must stay byte for
    /// byte as it is.
    private static func readSchema(_ layout: CacheLayout, _ configuration: Configuration, migrator: DatabaseMigrator) throws {
        var readOnly = configuration
        readOnly.readonly = true
        try DatabaseQueue(path: layout.index.path, configuration: readOnly).read {
            try requireKnownSchema($0, migrator: migrator, path: layout.index)
        }
    }

    /// Why the index file cannot be read, when that is so.
    private static func unreadable(_ index: URL) -> String? {
        guard let status = FileStatus.of(index.path, followingSymlinks: true) else { return "is a symbolic link to nothing" }
        if status.kind != .regular { return "is \(status.kind), not a file" }
        return access(index.path, R_OK | W_OK) != 0 ? "cannot be read and written by user \(PathDiagnosis.currentUser)" : nil
    }

    /// Refuses an index that a newer pkgtree migrated further than this one knows, before
    /// anything could change it.
    private static func requireKnownSchema(_ db: Database, migrator: DatabaseMigrator, path: URL) throws {
        guard try migrator.hasBeenSuperseded(db) else { return }
        let applied = try migrator.appliedIdentifiers(db)
        let known = migrator.migrations
        let newest = applied.map(schemaVersion).max() ?? applied.count
        throw UserFacingError(
            action, path: path,
            "was written by a newer pkgtree: its schema is version \(newest), this pkgtree (\(PkgTreeVersion.current)) knows versions up to \(known.count); it was left unchanged",
            remedy: "use the newer pkgtree with this cache, or give this one another cache (--cache DIR or $PKGTREE_CACHE)")
    }

    /// 3 for "v3: …", the way migrations are named; else 0.
    static func schemaVersion(_ identifier: String) -> Int {
        guard identifier.hasPrefix("v") else { return 0 }
        return Int(identifier.dropFirst().prefix { $0.isNumber }) ?? 0
    }

    /// A new index where none is; callers made sure of that.
    private static func create(_ layout: CacheLayout, _ configuration: Configuration, migrator: DatabaseMigrator) throws -> DatabasePool {
        do {
            let pool = try DatabasePool(path: layout.index.path, configuration: configuration)
            try migrator.migrate(pool)
            return pool
        } catch {
            // Half made (a full disk): gone, so the next run does not take it for a damaged index.
            for extra in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: layout.index.path + extra) }
            throw UserFacingError(explaining: error, action: "creating the cache index", path: layout.index,
                                  alternative: CacheLayout.alternative) ?? error
        }
    }

    /// Damage found in an open index: the file is moved aside (unless another process has
    /// replaced it already) and the error says to run the command again, which rebuilds it.
    /// The index lock is only tried, never waited for: this runs on a synchronous query's
    /// error path, which must not hold its thread in `flock`, and whoever holds the lock is
    /// opening the index (or repairing it) right now: a damaged file may be replaced under
    /// it, and moving aside what it made would throw away a sound index. The file is left
    /// in place then; the next command, or `cache repair`, finds the damage again.
    static func quarantine(_ layout: CacheLayout, inode: UInt64?, reason: String, action: String) -> UserFacingError {
        let again = "run the command again: it rebuilds the index from the artifacts in \(DisplayPath.of(layout.packages))"
        do {
            guard let lock = try FileLock.tryAcquire(layout.indexLock) else {
                return UserFacingError(action, path: layout.index, "is damaged (\(reason)); left in place, as another pkgtree process is opening it right now",
                                       remedy: "run the command again, or `pkgtree cache repair`, which moves it aside and rebuilds it")
            }
            defer { lock.unlock() }
            guard let inode, FileStatus.of(layout.index.path)?.inode == inode else {
                return UserFacingError(action, path: layout.index, "was damaged (\(reason)); another pkgtree process has replaced it since", remedy: again)
            }
            let aside = try moveAside(layout, reason: reason)
            return UserFacingError(action, path: layout.index, "is damaged (\(reason)); moved it aside to \(DisplayPath.of(aside.path))", remedy: again)
        } catch {
            return error as? UserFacingError
                ?? UserFacingError(action, path: layout.index, "is damaged (\(reason))", remedy: "`pkgtree cache repair` moves it aside and rebuilds it")
        }
    }

    /// Renames the index and its `-wal` and `-shm` files to `index.sqlite.corrupt-<UTC time>`
    /// (`-wal`, `-shm`): kept for a post-mortem, where SQLite still finds the three together.
    static func moveAside(_ layout: CacheLayout, reason: String) throws -> IndexRecovery.MovedAside {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        var name = "\(layout.index.lastPathComponent).corrupt-\(formatter.string(from: Date()))"
        var suffix = 2
        while FileStatus.of(layout.root.child(name).path) != nil {
            name = "\(layout.index.lastPathComponent).corrupt-\(formatter.string(from: Date()))-\(suffix)"
            suffix += 1
        }
        let destination = layout.root.child(name)
        for extra in ["", "-wal", "-shm"] {
            let source = layout.root.child(layout.index.lastPathComponent + extra)
            guard FileStatus.of(source.path) != nil else { continue }
            guard rename(source.path, destination.path + extra) == 0 else {
                var error = UserFacingError("moving the damaged cache index aside", path: source, code: errno)
                error.remedy = "move \(DisplayPath.of(source)) away yourself (\(reason)); the next run rebuilds the index from the artifacts"
                throw error
            }
        }
        try? Durability.syncDirectory(layout.root)
        return IndexRecovery.MovedAside(original: layout.index, path: destination, reason: reason)
    }
}
