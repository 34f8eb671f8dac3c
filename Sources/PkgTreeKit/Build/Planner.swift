import Foundation

/// Plans builds against a cache: resolves the tree (hashing local inputs through the cache's
/// stat cache, so an unchanged tree is not read again) and marks which ids are cached.
/// The cache is created only after the tree resolved: bad input never writes anything.
public struct Planner: Sendable {
    public var packages: URL
    public var cache: CacheLayout
    /// How the cache is opened: the CLI's way also says what it healed and repaired.
    public var openIndex: @Sendable (CacheLayout) async throws -> CacheIndex

    public init(packages: URL, cache: CacheLayout, openIndex: @escaping @Sendable (CacheLayout) async throws -> CacheIndex = { try await CacheIndex.open($0) }) {
        self.packages = packages
        self.cache = cache
        self.openIndex = openIndex
    }

    public struct Result: Sendable {
        public var plan: BuildPlan
        /// Ids of `plan.packages` that are in the cache with an intact file.
        public var cached: Set<String>
        /// Input files hashed from their contents (0 on a no-op run over an unchanged tree).
        public var filesRead: Int
        /// The cache the plan was made against, opened (and repaired) once for the whole command.
        public var index: CacheIndex
    }

    public func plan(_ request: TreeResolver.Request) async throws -> Result {
        try await plan([request])[0]
    }

    /// Several plans (architectures, tree variants) from one load of the tree.
    public func plan(_ requests: [TreeResolver.Request]) async throws -> [Result] {
        try await plan(try TreeLoader.load(packages), requests)
    }

    /// The plan of every tree variant for each of `archs`: everything the tree may build.
    public func planEveryVariant(archs: [Architecture]) async throws -> [Result] {
        let tree = try TreeLoader.load(packages)
        let variants = tree.treeVariants.keys.sorted { ($0 ?? "") < ($1 ?? "") }
        return try await plan(tree, archs.flatMap { arch in variants.map { TreeResolver.Request(arch: arch, treeVariant: $0) } })
    }

    private func plan(_ tree: PackageTree, _ requests: [TreeResolver.Request]) async throws -> [Result] {
        // An index already there gives the stat cache; none is created before the tree resolved.
        let existing = FileManager.default.fileExists(atPath: cache.index.path) ? try await openIndex(cache) : nil
        let statCache = try existing.map(StatCache.init(index:)) ?? StatCache()
        var plans: [BuildPlan] = []
        for var request in requests {
            request.digestCache = statCache
            plans.append(try TreeResolver.plan(tree, request))
        }
        let index = if let existing { existing } else { try await openIndex(cache) }
        try statCache.save(to: index)
        let store = ArtifactStore(index: index)
        return try plans.map { plan in
            Result(plan: plan, cached: try store.intactIDs(among: plan.packages.map(\.id)), filesRead: statCache.filesRead, index: index)
        }
    }
}
