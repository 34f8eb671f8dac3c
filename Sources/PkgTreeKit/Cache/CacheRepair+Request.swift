import Foundation

/// `pkgtree cache repair`: what `cache verify` reports, fixed. Beyond what every command's
/// open does (heal an unreadable index, drop rows of missing files, adopt or remove row-less
/// files, clear staging), it moves aside an index that SQLite's full check finds damaged and
/// rebuilds it from the artifacts, and removes every artifact whose content no longer matches
/// its row (re-hashed, whatever its stamp), so that the next build makes it again, and every
/// such bootstrap fragment, which the next bootstrap makes again.
extension CacheRepair {
    public struct RequestedReport: Sendable {
        /// What opening (and, for a damaged index, reopening) the cache did to its index.
        public var recovery: [IndexRecovery] = []
        public var leftovers = Report()
        /// Artifacts removed because they differ from their rows.
        public var discarded: [ArtifactAdoption.Refusal] = []
        /// Bootstrap fragments removed because they differ from their rows.
        public var discardedFragments: [ArtifactAdoption.Refusal] = []
    }

    /// Repairs the cache at `layout`; returns the index, opened afresh when it was replaced.
    public static func onRequest(_ layout: CacheLayout) async throws -> (index: CacheIndex, report: RequestedReport) {
        var report = RequestedReport()
        var opened: CacheIndex? = try await CacheIndex.open(layout)
        report.recovery += [opened?.recovery].compactMap { $0 }
        if let damage = try opened?.integrityProblems(), !damage.isEmpty {
            opened = nil  // its connections close before the file moves
            let aside = try await moveAside(layout, reason: damage.prefix(3).joined(separator: "; "))
            opened = try await CacheIndex.open(layout)
            report.recovery.append(IndexRecovery(movedAside: aside, rebuild: opened?.recovery?.rebuild ?? .init()))
        }
        let index = opened!
        report.leftovers = try run(index)
        let store = ArtifactStore(index: index)
        for file in try index.artifactRows() {
            try whenUnlocked(file.id, layout) {
                if case .discarded(let path, let reason) = try store.lookUp(file.id, rehash: true) {
                    report.discarded.append(ArtifactAdoption.Refusal(path: path, reason: reason))
                }
            }
        }
        report.discardedFragments = try FragmentMaintenance.discardDamaged(index)
        return (index, report)
    }

    private static func moveAside(_ layout: CacheLayout, reason: String) async throws -> IndexRecovery.MovedAside {
        let lock = try await FileLock.acquire(layout.indexLock)
        defer { lock.unlock() }
        return try IndexFile.moveAside(layout, reason: reason)
    }
}
