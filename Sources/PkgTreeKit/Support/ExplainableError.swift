import Foundation

/// An error of a layer above Support (the archive layer, the cache, SQLite) that says what it
/// stands for, so `SystemError` and `UserFacingError` read it without knowing that layer: each
/// layer explains its own errors, and Support depends on none of them.
protocol ExplainableError: Error {
    /// The `errno` behind it, when there is one (a full disk must stay recognisable).
    var systemCode: Int32? { get }
    /// The file it concerns, when it names one.
    var failedPath: String? { get }
    /// Its own words, without the path, when they say more than its errno's would.
    var plainReason: String? { get }
    /// Whether it comes from the system or a library rather than from pkgtree's own checks.
    var comesFromSystem: Bool { get }
    /// The error said for a person doing `action` (`path`: the file concerned, when the error
    /// names none); nil leaves it to the general rules of `UserFacingError`.
    func userFacing(action: String, path: URL?) -> UserFacingError?
}

extension ExplainableError {
    var systemCode: Int32? { nil }
    var failedPath: String? { nil }
    var plainReason: String? { nil }
    var comesFromSystem: Bool { false }
    func userFacing(action: String, path: URL?) -> UserFacingError? { nil }
}
