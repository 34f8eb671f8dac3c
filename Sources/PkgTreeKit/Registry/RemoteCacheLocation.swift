import Foundation

/// Where the remote cache is: `oci://HOST[:PORT]/REPO`. `REPO` is the repository prefix under
/// which each architecture gets its own repository (`REPO/x86_64`, `REPO/aarch64`).
public struct RemoteCacheLocation: Sendable, Hashable, CustomStringConvertible {
    /// `host[:port]`, as credentials files and certificate directories name registries.
    public var registry: String
    public var repository: String

    public var description: String { "oci://\(registry)/\(repository)" }

    static let form = "oci://HOST[:PORT]/REPO, for example oci://registry.example:5000/pkgtree/cache"

    /// Parses `oci://HOST[:PORT]/REPO`; the problem names `source` (an option, a variable, a
    /// file) and says to write `form`.
    public init(parsing text: String, source: String) throws(Problems) {
        try self.init(parsing: text, source: source, shown: text, form: Self.form)
    }

    init(parsing text: String, source: String, shown: String, form: String) throws(Problems) {
        let problem = { (message: String) in
            Problems([Problem(field: source, "'\(shown)' \(message)", hint: "write \(form)")])
        }
        guard text.hasPrefix("oci://") else { throw problem("is not an oci:// address") }
        let rest = text.dropFirst("oci://".count)
        guard let slash = rest.firstIndex(of: "/") else { throw problem("names no repository") }
        let registry = String(rest[..<slash])
        let repository = String(rest[rest.index(after: slash)...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard OCIName.isRegistryHost(registry) else { throw problem("does not name a registry host (HOST or HOST:PORT)") }
        guard !repository.isEmpty else { throw problem("names no repository") }
        if let reason = OCIName.invalidRepositoryReason(repository) { throw problem("has a repository that \(reason)") }
        self.registry = registry
        self.repository = repository
    }
}
