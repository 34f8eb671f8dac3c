extension Planner {
    /// Every id of every tree variant's plan, for every architecture `index` holds artifacts
    /// of: what `cache gc` keeps.
    public func referencedIDs(_ index: CacheIndex) async throws -> Set<String> {
        let archs = Set(try index.artifacts().compactMap { Architecture(name: $0.arch) }).sorted()
        return Set(try await planEveryVariant(archs: archs).flatMap { $0.plan.packages.map(\.id) })
    }
}
