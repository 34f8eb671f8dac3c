extension RemoteCache {
    /// What pulling several artifacts did.
    public struct PullReport: Sendable {
        public var pulled = 0
        public var bytes: Int64 = 0
        /// The ids the local cache now holds: pulled, or found cached meanwhile.
        public var stored: Set<String> = []
        /// An artifact was refused, or the registry refused access or broke the protocol.
        public var failed = false
    }

    /// Who pulls: `cache pull` reports every id and fails on a refusal; a build (which builds
    /// what it could not pull) says only what it pulled and turns every failure into a warning.
    public enum Caller: Sendable {
        /// `say` for what happened to each id (stdout), `warn` for what went wrong (stderr).
        case command(say: @Sendable (String) -> Void, warn: @Sendable (String) -> Void)
        case build(note: @Sendable (String) -> Void)
    }

    /// Pulls each of `planned`, one line per id. A registry that cannot be reached or fails
    /// (timeouts, 5xx) is one warning and ends the pull, never a failure.
    public static func pull(_ planned: [ArtifactImport.Planned], settings: RemoteCacheSettings, store: ArtifactStore,
                            for caller: Caller) async -> PullReport {
        var report = PullReport()
        guard !planned.isEmpty else { return report }
        let (say, warn): (@Sendable (String) -> Void, @Sendable (String) -> Void) = switch caller {
        case .command(let say, let warn): (say, warn)
        case .build(let note): (note, note)
        }
        let building = if case .build = caller { true } else { false }
        do {
            try await RemoteCache.with(settings) { remote in
                for item in planned {
                    let id = item.artifact.id
                    switch try await remote.pull(item, into: store) {
                    case .pulled(_, let bytes):
                        report.pulled += 1
                        report.bytes += bytes
                        report.stored.insert(id)
                        say("pulled \(id) (\(ByteCount.text(bytes)))")
                    case .alreadyCached:
                        report.stored.insert(id)
                        if !building { say("already cached \(id)") }
                    case .missing:
                        if !building { say("missing \(id): not in the remote cache") }
                    case .refused(let reason) where building:
                        warn("warning: refused \(id) from \(settings.location): \(reason); it is built here")
                    case .refused(let reason):
                        report.failed = true
                        warn("refused \(id) from \(settings.location): \(reason)")
                    }
                }
            }
        } catch let error as RegistryError where error.isUnavailable || building {
            warn("warning: remote cache \(settings.location) \(error.isUnavailable ? "is unavailable" : "failed"), nothing more is pulled\(building ? "; the rest is built here" : ""): \(error)")
        } catch {
            if building {
                warn("warning: pulling from \(settings.location) failed, the rest is built here: \(error)")
            } else {
                report.failed = true
                warn("pkgtree: \(error)")
            }
        }
        return report
    }
}
