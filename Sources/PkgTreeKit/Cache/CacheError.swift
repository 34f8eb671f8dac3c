/// What can go wrong in the cache, said so a person can act on it.
public enum CacheError: Error, CustomStringConvertible {
    case io(String, String)
    case notAnArtifact(String, String)
    case noSpace(String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .notAnArtifact(let path, let reason): "\(path): \(reason)"
        case .noSpace(let path): "\(path): no space left on the device; nothing was stored. Free space (or `pkgtree cache gc`) and run again"
        }
    }
}
