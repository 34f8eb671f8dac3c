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
        /// The ids the local cache now holds: pulled, or found cached meanwhile.
        var stored: Set<String> = []
        /// An artifact was refused, or the registry refused access or broke the protocol.
        var failed = false
    }

    /// Who pulls: `cache pull` reports every id and fails on a refusal; a build (which builds
    /// what it could not pull) says only what it pulled and turns every failure into a warning.
    enum Caller {
        case command
        case build(note: @Sendable (String) -> Void)
    }

    /// Pulls each of `planned`, one line per id. A registry that cannot be reached or fails
    /// (timeouts, 5xx) is one warning and ends the pull, never a failure.
    static func pull(_ planned: [ArtifactImport.Planned], settings: RemoteCacheSettings, store: ArtifactStore,
                     for caller: Caller = .command) async -> PullReport {
        var report = PullReport()
        guard !planned.isEmpty else { return report }
        let (say, warn): ((String) -> Void, (String) -> Void) = switch caller {
        case .command: ({ Console.output($0 + "\n") }, { Console.error($0) })
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
                        say("pulled \(id) (\(CacheReport.bytes(bytes)))")
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
