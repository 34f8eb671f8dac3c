/// Where a package's source comes from (buildinfo `sources` / `single_source`).
public enum Source: Sendable, Hashable {
    /// A file downloaded once and verified by checksum; `extract` unpacks it (`url_extract`).
    case url(url: String, checksum: Checksum, extract: Bool)
    /// A git repository checked out at an exact commit.
    case git(url: String, ref: String, refOrigin: String?)
    /// A directory of the tree, relative to the package directory, hashed by content.
    case gitLocal(relativePath: String)

    public var kind: String {
        switch self {
        case .url(_, _, let extract): extract ? "url_extract" : "url"
        case .git: "git"
        case .gitLocal: "git_local"
        }
    }

    /// The normalized buildinfo form of this source, for hashing and `buildinfo.full.json`.
    var json: JSONValue {
        var fields: [String: JSONValue] = ["kind": .string(kind)]
        switch self {
        case .url(let url, let checksum, _):
            fields["url"] = .string(url)
            fields[checksum.algorithm] = .string(checksum.hex)
        case .git(let url, let ref, let refOrigin):
            fields["git"] = .string(url)
            fields["ref"] = .string(ref)
            if let refOrigin { fields["ref_origin"] = .string(refOrigin) }
        case .gitLocal(let path):
            fields["rel_path"] = .string(path)
        }
        return .object(fields)
    }
}

/// A source's expected digest. sha256 is preferred; sha1 is accepted for pkgpanda trees.
public enum Checksum: Sendable, Hashable {
    case sha256(String)
    case sha1(String)

    public var algorithm: String {
        switch self {
        case .sha256: "sha256"
        case .sha1: "sha1"
        }
    }

    public var hex: String {
        switch self {
        case .sha256(let hex), .sha1(let hex): hex
        }
    }
}

/// A dependency as written in `requires`: a package name, optionally with a variant.
public struct Requirement: Sendable, Hashable, Comparable {
    public var name: String
    public var variant: String?

    public init(name: String, variant: String? = nil) {
        self.name = name
        self.variant = variant
    }

    public static func < (lhs: Requirement, rhs: Requirement) -> Bool {
        (lhs.name, lhs.variant ?? "") < (rhs.name, rhs.variant ?? "")
    }
}
