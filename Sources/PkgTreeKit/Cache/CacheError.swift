import Foundation

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

extension CacheError: ExplainableError {
    var systemCode: Int32? {
        if case .noSpace = self { return ENOSPC }
        return nil
    }

    var failedPath: String? {
        switch self {
        case .io(let path, _), .noSpace(let path): path
        case .notAnArtifact, .corruptDependency: nil
        }
    }

    func userFacing(action: String, path _: URL?) -> UserFacingError? {
        UserFacingError(self, action: action)
    }
}

extension UserFacingError {
    init(_ error: CacheError, action: String) {
        switch error {
        case .io(let path, let reason):
            self.init(action, path: URL(fileURLWithPath: path), reason)
        case .noSpace(let path):
            self.init(action, path: URL(fileURLWithPath: path), "no space left on the device; nothing was stored",
                      remedy: "free space (`pkgtree cache gc` removes old artifacts) and run again")
        case .notAnArtifact(let path, let reason):
            self.init(action, path: URL(fileURLWithPath: path), reason, cause: .badInput)
        case .corruptDependency(let path, let id, let reason):
            self.init(action, path: URL(fileURLWithPath: path), "the artifact of the dependency \(id) was corrupted (\(reason)); it was removed",
                      remedy: "run the build again: it rebuilds the dependency", cause: .failedWork)
        }
    }
}
