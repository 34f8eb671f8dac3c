/// What can go wrong in the cache, said so a person can act on it.
public enum CacheError: Error, CustomStringConvertible {
    case io(String, String)
    case notAnArtifact(String, String)
    case noSpace(String)
    /// A dependency's artifact (path, id, what differs) was corrupt when it was to be unpacked.
    case corruptDependency(String, String, String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .notAnArtifact(let path, let reason): "\(path): \(reason)"
        case .noSpace(let path): "\(path): no space left on the device; nothing was stored. Free space (or `pkgtree cache gc`) and run again"
        case .corruptDependency(let path, let id, let reason):
            "\(path): the artifact of the dependency \(id) was corrupted (\(reason)); it was removed, and the next build rebuilds it"
        }
    }
}
