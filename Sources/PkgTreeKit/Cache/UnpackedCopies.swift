import Foundation

/// `unpacked/<arch>/<id>/`: a dependency's artifact unpacked once (by `DependencyUnpacker`),
/// mounted read-only into the builds that require it. A copy appears only by a rename out of
/// `tmp/`, so a half-made one is a `tmp/` leftover; and it goes by a rename into `tmp/` before
/// it is deleted, so a process killed while deleting leaves a `tmp/` leftover too, never a
/// partial copy that a build would take for whole. Either way repair clears `tmp/`.
enum UnpackedCopies {
    /// Every copy there is, as (architecture, id), sorted.
    static func all(_ layout: CacheLayout) -> [(arch: String, id: String)] {
        let entries = { (directory: URL) in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }
        return entries(layout.unpacked).flatMap { arch in entries(layout.unpacked.child(arch)).map { (arch, $0) } }
    }

    /// Removes every copy of `id` (of any architecture), for a caller that holds the id's lock.
    /// Returns the paths removed, relative to the cache root.
    @discardableResult
    static func remove(_ id: String, _ layout: CacheLayout) throws -> [String] {
        var removed: [String] = []
        for copy in all(layout) where copy.id == id {
            let directory = layout.unpackedCopy(arch: copy.arch, id: id)
            try FileManager.default.createDirectory(at: layout.tmp, withIntermediateDirectories: true)
            let doomed = layout.tmp.child(TemporaryName.make(for: id))
            try FileManager.default.moveItem(at: directory, to: doomed)
            try? FileManager.default.removeItem(at: doomed)
            removed.append(layout.relativePath(of: directory))
        }
        return removed
    }
}
