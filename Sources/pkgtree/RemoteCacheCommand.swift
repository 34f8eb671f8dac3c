import ArgumentParser
import Foundation
import PkgTreeKit

/// What `cache push` and `cache pull` share: choosing the artifacts.
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
}
