import Foundation

/// `pkgtree cache gc`: removes artifacts by age or by whether any current plan needs them.
/// The row goes first, then the file and the artifact's unpacked copy, so a kill in between
/// leaves a file or a copy without a row, which repair removes; an id another process holds
/// locked is left for the next run, and so are what a running build needs (`RunRoots`) and
/// copies while a process builds (`UnpackedCopies`).
public enum CacheCollector {
    // Lock files stay: unlinking one while another process waits on it would let a third
    // process lock a new file of the same name, and two stores of one id would run at once.

    /// What a gc pass removed, and what it left because a running build needs it (`RunRoots`).
    public struct Collected: Sendable {
        public var removed: [ArtifactRecord] = []
        public var keptForRunningBuilds: [ArtifactRecord] = []
    }

    /// Keeps the `count` newest artifacts of each (arch, name, variant).
    public static func keepLast(_ count: Int, in index: CacheIndex) async throws -> Collected {
        try await remove(from: index) { records in
            Dictionary(grouping: records) { [$0.arch, $0.name, $0.variant ?? ""] }.values.flatMap { group in
                group.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.dropFirst(max(0, count))
            }
        }
    }

    /// Removes every artifact whose id is not in `referenced`.
    public static func removeUnreferenced(keeping referenced: Set<String>, in index: CacheIndex) async throws -> Collected {
        try await remove(from: index) { records in records.filter { !referenced.contains($0.id) } }
    }

    /// Removes what `doomed` picks of the index's artifacts, but those a running build needs.
    /// The rows are read with the roots held still, so that no build registers in between.
    private static func remove(from index: CacheIndex, _ doomed: ([ArtifactRecord]) -> [ArtifactRecord]) async throws -> Collected {
        try await RunRoots.whileCollecting(index.layout) { needed in
            var collected = Collected()
            for record in doomed(try index.artifacts()).sorted(by: { $0.path < $1.path }) {
                if needed.contains(record.id) {
                    collected.keptForRunningBuilds.append(record)
                    continue
                }
                guard let lock = try FileLock.tryAcquire(index.layout.lockFile(for: record.id)) else { continue }
                defer { lock.unlock() }
                try index.deleteArtifacts(ids: [record.id])
                try? FileManager.default.removeItem(at: index.layout.url(ofRelativePath: record.path))
                try UnpackedCopies.remove(record.id, index.layout)
                collected.removed.append(record)
            }
            return collected
        }
    }

    /// Removes the unpacked copies of artifacts that are gone; false when a process is building
    /// and they were kept (see `UnpackedCopies`).
    public static func collectCopies(in index: CacheIndex) throws -> Bool {
        try UnpackedCopies.removeRowless(index) != nil
    }

    /// Count and bytes per architecture, for `pkgtree cache stats`.
    public static func statistics(_ index: CacheIndex) throws -> [(arch: String, count: Int, bytes: Int64)] {
        Dictionary(grouping: try index.artifacts(), by: \.arch)
            .map { (arch: $0.key, count: $0.value.count, bytes: $0.value.reduce(0) { $0 + $1.size }) }
            .sorted { $0.arch < $1.arch }
    }
}
