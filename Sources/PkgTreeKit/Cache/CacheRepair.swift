import Foundation

/// Brings a cache back to a consistent state after a killed process: rows whose file is gone
/// are dropped, artifact files without a row are adopted when intact (a process killed
/// between the rename and the commit left a complete file) and removed otherwise, unpacked
/// copies of artifacts without a row, bootstrap fragments without a row and leftovers in
/// `tmp/` (half-made copies among them) are removed, and so are the roots files of killed runs
/// (`RunRoots`). Anything a live process is working on is left alone: each id's lock is tried
/// first, and an id that is locked belongs to a store in progress. A file that is there but
/// differs from its row is no leftover but corruption: `cache verify` reports it, and a build
/// (or `cache repair`) discards and rebuilds it.
public enum CacheRepair {
    public struct Report: Sendable, Equatable {
        public var droppedRows: [String] = []
        /// Files without a row: adopted, or refused and removed.
        public var rowless = ArtifactAdoption.Report()
        public var removedStaging: [String] = []
        /// `unpacked/<arch>/<id>` of ids without a row.
        public var removedCopies: [String] = []
        /// A process was building: copies were left in place (see `UnpackedCopies`).
        public var copiesInUse = false
        /// Bootstrap fragment files without a row (every one, after the index was rebuilt).
        public var removedFragments: [String] = []

        public var isEmpty: Bool {
            droppedRows.isEmpty && rowless.isEmpty && removedStaging.isEmpty && removedCopies.isEmpty && removedFragments.isEmpty
        }
    }

    public static func run(_ index: CacheIndex) throws -> Report {
        var report = Report()
        let layout = index.layout
        try RunRoots.removeOver(layout)  // quietly, as lock files: they hold no data
        let isMissing = { (file: ArtifactRow) in FileStatus.of(layout.url(ofRelativePath: file.path).path) == nil }
        for file in try index.artifactRows() where isMissing(file) {
            try whenUnlocked(file.id, layout) {
                // Re-read under the lock: the row may have been completed meanwhile.
                guard let current = try index.artifactRow(id: file.id), isMissing(current) else { return }
                try index.deleteArtifacts(ids: [file.id])
                report.droppedRows.append(file.id)
            }
        }
        let indexed = Set(try index.artifactRows().map(\.path))
        let rowless = artifactFiles(layout).filter { !indexed.contains(layout.relativePath(of: $0)) }
        report.rowless = try ArtifactAdoption.adopt(rowless, into: index)
        // After adoption, which may add rows: only copies of ids still without one go.
        if let removed = try UnpackedCopies.removeRowless(index) {
            report.removedCopies = removed
        } else {
            report.copiesInUse = true
        }
        // After the copies: a copy is removed by way of tmp/.
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: layout.tmp.path)) ?? []
        for name in staged.sorted() {
            let remove = {
                ScratchRemoval.remove(layout.tmp.child(name))
                report.removedStaging.append(name)
            }
            if let id = TemporaryName.id(of: name) { try whenUnlocked(id, layout, remove) } else { remove() }
        }
        try FragmentMaintenance.repair(index, into: &report)
        return report
    }

    /// Runs `body` holding the id's lock, or not at all when another process holds it.
    static func whenUnlocked(_ id: String, _ layout: CacheLayout, _ body: () throws -> Void) throws {
        guard let lock = try FileLock.tryAcquire(layout.lockFile(for: id)) else { return }
        defer { lock.unlock() }
        try body()
    }

    /// Every `packages/<arch>/<name>/*.tar.xz`, sorted level by level (sorting the names, not
    /// the URLs: a URL's path is computed again at each comparison, a tenth of a no-op build
    /// of 2,000 packages).
    static func artifactFiles(_ layout: CacheLayout) -> [URL] {
        let entries = { (directory: URL) in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }
        var files: [URL] = []
        for arch in entries(layout.packages) {
            let archDirectory = layout.packages.child(arch)
            for name in entries(archDirectory) {
                let nameDirectory = archDirectory.child(name)
                for file in entries(nameDirectory) where CacheLayout.artifactID(fileName: file) != nil {
                    files.append(nameDirectory.child(file))
                }
            }
        }
        return files
    }
}
