/// The remote cache in a build (docs/registry.md): before the build, every planned package the
/// local cache lacks is looked up in the registry and pulled when it is there; after it, with
/// push on (`--push`, or `remote_cache.push`), what this run built is pushed. The registry is
/// an optimisation: whatever goes wrong is a warning, and what was not pulled is built here.
extension BuildSession {
    /// `planned` with what was pulled marked cached, so the build does not build it.
    static func pullMissing(_ planned: [Planner.Result], settings: RemoteCacheSettings, index: CacheIndex,
                            note: @escaping @Sendable (String) -> Void) async -> [Planner.Result] {
        let byID = ArtifactImport.plannedByID(planned.map(\.plan))
        let missing = Set(planned.flatMap { result in result.plan.packages.map(\.id).filter { !result.cached.contains($0) } })
        let report = await RemoteCache.pull(missing.sorted().compactMap { byID[$0] }, settings: settings,
                                            store: ArtifactStore(index: index), for: .build(note: note))
        if report.pulled > 0 {
            note("pulled \(report.pulled) package(s) from \(settings.location), \(ByteCount.text(report.bytes))")
        }
        return planned.map { result in
            var result = result
            result.cached.formUnion(report.stored.intersection(result.plan.packages.map(\.id)))
            return result
        }
    }

    /// Pushes the artifacts of the packages this run built, when push is on.
    static func pushBuilt(_ results: [ArchResult], settings: RemoteCacheSettings, index: CacheIndex,
                          note: (String) -> Void) async {
        guard settings.push else { return }
        let records = results.flatMap { result in
            let built = Set(result.summary.built)
            return result.plan.packages.filter { built.contains($0.name) }.compactMap { try? index.artifact(id: $0.id) }
        }
        guard !records.isEmpty else { return }
        do {
            let report = try await RemoteCache.push(records, settings: settings, store: ArtifactStore(index: index))
            note("pushed \(report.pushed + report.present) package(s) to \(settings.location)")
        } catch {
            note("warning: pushing to \(settings.location) failed; the build is not affected: \(error)")
        }
    }
}
