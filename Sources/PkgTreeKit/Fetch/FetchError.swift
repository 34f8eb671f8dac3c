/// A source that could not be made available, said so a person can act on it: which source
/// (its name in `sources`, or the package name for `single_source`), where it comes from,
/// what went wrong and what to do. Nothing half-fetched is ever left in `cache/sources/`.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for callers and tests that react to the kind of failure.
    public enum Reason: Sendable, Equatable {
        /// The downloaded bytes do not have the checksum the buildinfo pins.
        case checksumMismatch(expected: String, actual: String)
        /// The server could not be reached (refused, DNS, TLS, timeout) or the file is missing.
        case unreachable(String)
        /// The server answered with a status other than 2xx.
        case httpStatus(Int)
        /// The `git` commit `ref` is not in the repository, even after fetching.
        case refNotFound(ref: String)
        /// A `git` command failed.
        case git(String)
        /// The archive of a `url_extract` source could not be extracted safely.
        case extraction(String)
        /// The buildinfo names something unusable (a bad URL, a missing `rel_path`).
        case invalidSource(String)
        /// Reading or writing local files failed.
        case io(String)
    }

    /// The source's name: the key in `sources`, or the package name for `single_source`.
    public var source: String
    /// `url`, `url_extract`, `git` or `git_local`.
    public var kind: String
    /// The URL, repository or path the source comes from.
    public var location: String
    public var reason: Reason
    /// What to do about it.
    public var hint: String?

    public init(source: String, kind: String, location: String, reason: Reason, hint: String? = nil) {
        self.source = source
        self.kind = kind
        self.location = location
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        hint.map { "\(message); \($0)" } ?? message
    }

    /// What went wrong with which source, without the hint.
    public var message: String {
        "source '\(source)' (\(kind) \(location)): \(problem)"
    }

    private var problem: String {
        switch reason {
        case .checksumMismatch(let expected, let actual):
            "checksum mismatch: expected \(expected), downloaded file has \(actual); nothing was stored"
        case .unreachable(let detail): "cannot download: \(detail)"
        case .httpStatus(let status): "cannot download: the server answered HTTP \(status)"
        case .refNotFound(let ref): "commit \(ref) is not in the repository, even after fetching all its branches and tags"
        case .git(let detail), .extraction(let detail), .invalidSource(let detail), .io(let detail): detail
        }
    }
}

extension FetchError {
    /// The error as a problem of the buildinfo `file` of `package`, whose `sourceField`
    /// (`single_source`, `sources.<name>`) holds `source`; the field at fault is named below it.
    public func asProblem(file: String, package: String, sourceField: String, source: Source?) -> Problem {
        let faulty: String? = switch (reason, source) {
        case (.checksumMismatch, .url(_, let checksum, _)?): checksum.algorithm
        case (.refNotFound, _): "ref"
        case (.git, _), (.unreachable, .git?): "git"
        case (.invalidSource, .gitLocal?): "rel_path"
        case (.unreachable, _), (.httpStatus, _), (.extraction, _), (.invalidSource, _): "url"
        default: nil
        }
        return Problem(file: file, package: package, field: faulty.map { "\(sourceField).\($0)" } ?? sourceField,
                       message, hint: hint)
    }

    /// An error about `source` named `name`, with its kind and location filled in.
    init(_ name: String, _ source: Source, _ reason: Reason, hint: String? = nil) {
        let location = switch source {
        case .url(let url, _, _), .git(let url, _, _): url
        case .gitLocal(let path): path
        }
        self.init(source: name, kind: source.kind, location: location, reason: reason, hint: hint)
    }
}
