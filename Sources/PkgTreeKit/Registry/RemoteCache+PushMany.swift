extension RemoteCache {
    /// What pushing several artifacts did.
    public struct PushReport: Sendable {
        public var pushed = 0
        /// Already in the registry under their tags, unchanged.
        public var present = 0
        /// Blob bytes uploaded (a blob the registry had already costs none).
        public var uploaded: Int64 = 0
        /// Ids not pushed because their file no longer matches the cache index.
        public var notIntact: [String] = []
    }

    /// Pushes `records` of the local cache behind `store`, signed with the settings' key, one
    /// after another (blob, manifest, then the tag: nothing half-pushed is ever tagged);
    /// `each` hears what became of each as it happens. A registry error ends the push and is
    /// thrown: `cache push` fails on it, a build warns.
    public static func push(_ records: [ArtifactRecord], settings: RemoteCacheSettings, store: ArtifactStore,
                            each: (ArtifactRecord, PushOutcome?) -> Void = { _, _ in }) async throws -> PushReport {
        var report = PushReport()
        guard !records.isEmpty else { return report }
        let key = try settings.signingKey()
        try await with(settings) { remote in
            for record in records {
                let outcome = try await remote.push(record, from: store, key: key)
                switch outcome {
                case .pushed(let bytes)?:
                    report.pushed += 1
                    report.uploaded += bytes
                case .present?: report.present += 1
                case nil: report.notIntact.append(record.id)
                }
                each(record, outcome)
            }
        }
        return report
    }
}
