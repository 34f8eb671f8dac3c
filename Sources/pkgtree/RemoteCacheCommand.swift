import ArgumentParser
import Foundation
import PkgTreeKit

/// What `cache push` and `cache pull` share: choosing the artifacts, connecting, and saying
/// what happened to each.
enum RemoteCacheCommand {
    /// The rows of `ids` (every row of `arch`, when nil); an id the cache lacks is bad input.
    static func records(_ ids: [String]?, arch: Architecture?, index: CacheIndex) throws -> [ArtifactRecord] {
        guard let ids else { return try index.artifacts(arch: arch) }
        var problems: [Problem] = []
        var records: [ArtifactRecord] = []
        for id in ids {
            if let record = try index.artifact(id: id) { records.append(record) }
            else { problems.append(Problem(field: id, "is not in the local cache \(index.layout.root.path)", hint: "`pkgtree cache ls` lists what is there")) }
        }
        if !problems.isEmpty { throw Problems(problems) }
        return records
    }

    /// The planned packages of `ids` (every package, when nil); an id not in the plan is bad input.
    static func planned(_ ids: [String]?, plans: [BuildPlan], arch: Architecture) throws -> [ArtifactImport.Planned] {
        let byID = ArtifactImport.plannedByID(plans)
        guard let ids else { return byID.values.sorted { $0.artifact.id < $1.artifact.id } }
        let unknown = ids.filter { byID[$0] == nil }
        if !unknown.isEmpty {
            throw Problems(unknown.map { Problem(field: $0, "is not a package id of the tree's current plan for \(arch)",
                                                 hint: "`pkgtree plan --arch \(arch) --json` lists the current ids") })
        }
        return ids.map { byID[$0]! }
    }

    static func notCached(_ planned: [ArtifactImport.Planned], store: ArtifactStore) throws -> [ArtifactImport.Planned] {
        let cached = try store.intactIDs(among: planned.map(\.artifact.id))
        return planned.filter { !cached.contains($0.artifact.id) }
    }

    struct PullReport {
        var pulled = 0
        var bytes: Int64 = 0
        /// An artifact was refused, or the registry refused access or broke the protocol.
        var failed = false
    }

    /// Pulls each of `planned`, one line per id. A registry that cannot be reached or fails
    /// (timeouts, 5xx) is one warning, and ends the pull with exit 0.
    static func pull(_ planned: [ArtifactImport.Planned], settings: RemoteCacheSettings, store: ArtifactStore) async -> PullReport {
        var report = PullReport()
        guard !planned.isEmpty else { return report }
        do {
            try await RemoteCache.with(settings) { remote in
                for item in planned {
                    let id = item.artifact.id
                    switch try await remote.pull(item, into: store) {
                    case .pulled(_, let bytes):
                        report.pulled += 1
                        report.bytes += bytes
                        Console.output("pulled \(id) (\(CacheReport.bytes(bytes)))\n")
                    case .alreadyCached: Console.output("already cached \(id)\n")
                    case .missing: Console.output("missing \(id): not in the remote cache\n")
                    case .refused(let reason):
                        report.failed = true
                        Console.error("refused \(id) from \(settings.location): \(reason)")
                    }
                }
            }
        } catch {
            report.failed = warnOrFail(error, settings) || report.failed
        }
        return report
    }

    /// Prints `error`; true when it fails the command (anything but an unavailable registry).
    private static func warnOrFail(_ error: Error, _ settings: RemoteCacheSettings) -> Bool {
        if let registry = error as? RegistryError, registry.isUnavailable {
            Console.error("warning: remote cache \(settings.location) is unavailable, nothing more is pulled: \(registry)")
            return false
        }
        Console.error("pkgtree: \(error)")
        return true
    }
}
