import Foundation

/// A file that could not be read, written, copied or moved, with the reason in plain words:
/// the general I/O failure of every area (the cache has its own `CacheError` for what only
/// the cache can say).
public struct IOError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

extension IOError: ExplainableError {
    var failedPath: String? { path }

    func userFacing(action: String, path _: URL?) -> UserFacingError? {
        UserFacingError(action, path: URL(fileURLWithPath: path), reason)
    }
}
