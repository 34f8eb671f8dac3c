import Foundation

/// One package and its closure, resolved as `plan` resolves them: `pkgtree show` (and what
/// opens a package's build environment) start here. The cache's stat cache, when the cache
/// exists, spares hashing unchanged inputs again; the cache is never created or written.
extension Planner {
    public func select(_ name: String, _ request: TreeResolver.Request) async throws -> PackageSelection {
        let tree = try TreeLoader.load(packages)
        var request = request
        let existing = FileManager.default.fileExists(atPath: cache.index.path) ? try await openIndex(cache) : nil
        request.digestCache = try existing.map(StatCache.init(index:))
        return try PackageSelection.select(name, in: tree, request)
    }
}
