import Foundation

/// What opening a cache did to heal its index, for the command to say: the damaged index it
/// moved aside, if any, and the artifacts it took into the new one.
public struct IndexRecovery: Sendable {
    public struct MovedAside: Sendable {
        /// `cache/index.sqlite`.
        public var original: URL
        /// `cache/index.sqlite.corrupt-<UTC time>`.
        public var path: URL
        /// Why the index could not be used.
        public var reason: String
    }

    public var movedAside: MovedAside?
    public var rebuild: ArtifactAdoption.Report

    /// Nothing to say: a new, empty cache.
    public var isEmpty: Bool { movedAside == nil && rebuild.isEmpty }

    /// "rebuilt the cache index from 7 artifacts (1 refused: …)".
    public var summary: String {
        let count = rebuild.refused.count
        let refused = count == 0 ? ""
            : " (\(count) refused: \(rebuild.refused.map(\.description).joined(separator: "; ")); removed: the next build makes \(count == 1 ? "it" : "them") again)"
        return "rebuilt the cache index from \(rebuild.adopted.count) artifact\(rebuild.adopted.count == 1 ? "" : "s")\(refused)"
    }
}
