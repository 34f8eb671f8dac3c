import Foundation

/// `unpacked/<arch>/<id>/`: a dependency's artifact unpacked once (by `DependencyUnpacker`),
/// mounted read-only into the builds that require it. A copy appears only by a rename out of
/// `tmp/`, so a half-made one is a `tmp/` leftover; and it goes by a rename into `tmp/` before
/// it is deleted, so a process killed while deleting leaves a `tmp/` leftover too, never a
/// partial copy that a build would take for whole. Either way repair clears `tmp/`.
///
/// A copy in use is never removed. A process that builds holds `locks/unpacked-copies.lock`
/// shared from its first dependency to its exit (`holdInUse`): its builds have copies mounted
/// as overlay layers, whose content must not change under them, and it remembers which copies
/// it has read. Removing a copy takes that lock exclusively and only tries: while any process
/// builds, gc, repair and a discarded artifact leave copies in place (they have no row then,
/// and the next gc or repair with no build running removes them). One lock for every copy, not
/// one per copy, so a build with a thousand dependencies holds one descriptor for them, not a
/// thousand.
enum UnpackedCopies {
    /// Every copy there is, as (architecture, id), sorted.
    static func all(_ layout: CacheLayout) -> [(arch: String, id: String)] {
        let entries = { (directory: URL) in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }
        return entries(layout.unpacked).flatMap { arch in entries(layout.unpacked.child(arch)).map { (arch, $0) } }
    }

    /// Keeps every copy in place until the lock is released (or the process exits). Waits only
    /// while a gc or repair is removing copies.
    static func holdInUse(_ layout: CacheLayout) async throws -> FileLock {
        try await FileLock.acquire(layout.unpackedCopiesLock, shared: true)
    }

    /// Removes every copy of `id` (of any architecture), for a caller that holds the id's lock,
    /// unless a process is building (then nothing, see above). Returns the paths removed,
    /// relative to the cache root.
    @discardableResult
    static func remove(_ id: String, _ layout: CacheLayout) throws -> [String] {
        guard let removal = try FileLock.tryAcquire(layout.unpackedCopiesLock) else { return [] }
        defer { removal.unlock() }
        return try all(layout).filter { $0.id == id }.map { try removeCopy($0, layout) }
    }

    /// Removes the copies of ids without an artifact row (left by a killed process, or kept
    /// while a build ran), each under its id's lock; an id another process holds is left.
    /// `nil` when there are some but a process is building, and nothing is removed. The
    /// copies' lock is held for the whole pass: a build starting meanwhile waits for it, and
    /// finds no half-done pass.
    static func removeRowless(_ index: CacheIndex) throws -> [String]? {
        let layout = index.layout
        let rows = Set(try index.artifactRows().map(\.id))
        let rowless = all(layout).filter { !rows.contains($0.id) }
        guard !rowless.isEmpty else { return [] }
        guard let removal = try FileLock.tryAcquire(layout.unpackedCopiesLock) else { return nil }
        defer { removal.unlock() }
        var removed: [String] = []
        for copy in rowless {
            try CacheRepair.whenUnlocked(copy.id, layout) {
                // Re-read under the lock: the artifact may have been stored meanwhile.
                guard try index.artifactRow(id: copy.id) == nil else { return }
                removed.append(try removeCopy(copy, layout))
            }
        }
        return removed
    }

    /// Moves one copy into `tmp/`, then deletes it there; for a caller holding both locks.
    private static func removeCopy(_ copy: (arch: String, id: String), _ layout: CacheLayout) throws -> String {
        let directory = layout.unpackedCopy(arch: copy.arch, id: copy.id)
        try FileManager.default.createDirectory(at: layout.tmp, withIntermediateDirectories: true)
        let doomed = layout.tmp.child(TemporaryName.make(for: copy.id))
        try FileManager.default.moveItem(at: directory, to: doomed)
        try? FileManager.default.removeItem(at: doomed)
        return layout.relativePath(of: directory)
    }
}
