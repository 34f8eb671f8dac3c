import Foundation

/// How pkgtree uses a remote cache: where it is, TLS, which keys it trusts, which key signs
/// what it pushes, and whether builds push. Resolved from, in rising precedence, `pkgtree.json`'s
/// `remote_cache` object, the environment (`PKGTREE_REMOTE_CACHE`, `PKGTREE_TRUSTED_KEYS`,
/// `PKGTREE_SIGNING_KEY`) and command-line options (docs/registry.md).
public struct RemoteCacheSettings: Sendable {
    public var location: RemoteCacheLocation
    public var tls = RegistryTLS()
    public var trustedKeys: [TrustedKey] = []
    /// The key file, read when something is pushed.
    public var signingKeyFile: URL?
    /// Whether a build pushes what it built.
    public var push = false

    public init(location: RemoteCacheLocation) {
        self.location = location
    }

    /// What the command line says; nil fields leave the configuration's value.
    public struct Overrides: Sendable {
        public var url: String?
        public var trustedKeys: [String] = []
        public var signingKey: String?
        public var push: Bool?
        public var tlsVerify: Bool?
        public var certDir: String?

        public init(url: String? = nil, trustedKeys: [String] = [], signingKey: String? = nil,
                    push: Bool? = nil, tlsVerify: Bool? = nil, certDir: String? = nil) {
            self.url = url
            self.trustedKeys = trustedKeys
            self.signingKey = signingKey
            self.push = push
            self.tlsVerify = tlsVerify
            self.certDir = certDir
        }
    }

    /// The settings for a tree, or nil when no remote cache is configured anywhere.
    public static func resolve(packages: URL, overrides: Overrides,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(Problems) -> RemoteCacheSettings? {
        let file = try RemoteCacheFile.read(packages: packages)
        let variable = environment["PKGTREE_REMOTE_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
        let url: (String, String)? = overrides.url.map { ($0, "--remote-cache") }
            ?? variable.map { ($0, "PKGTREE_REMOTE_CACHE") } ?? file?.url.map { ($0, "\(file!.display): remote_cache.url") }
        guard let (text, source) = url else { return nil }
        var settings = RemoteCacheSettings(location: try RemoteCacheLocation(parsing: text, source: source))
        var problems = ProblemCollector()
        var keys: [(String, String)] = (file?.trustedKeys ?? []).map { ($0, "\(file!.display): remote_cache.trusted_keys") }
        keys += (environment["PKGTREE_TRUSTED_KEYS"] ?? "").split(separator: " ").map { (String($0), "PKGTREE_TRUSTED_KEYS") }
        keys += overrides.trustedKeys.map { ($0, "--trusted-key") }
        for (text, source) in keys {
            do {
                settings.trustedKeys.append(try TrustedKey(fileOrText: text, source: source))
            } catch {
                problems.add(contentsOf: error.all)
            }
        }
        try problems.throwIfAny()
        settings.signingKeyFile = (overrides.signingKey ?? environment["PKGTREE_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 })
            .map { URL(fileURLWithPath: $0) } ?? file?.signingKey
        settings.push = overrides.push ?? file?.push ?? false
        settings.tls.verify = overrides.tlsVerify ?? file?.tlsVerify ?? true
        settings.tls.certDirectory = overrides.certDir.map { URL(fileURLWithPath: $0) } ?? file?.certDir
        return settings
    }

    /// The signing key, which pushing needs.
    public func signingKey() throws(Problems) -> SigningKey {
        guard let signingKeyFile else {
            throw Problems([Problem(field: "--signing-key", "pushing to \(location) needs a signing key",
                                    hint: "make one with `pkgtree key generate --name NAME`, then pass --signing-key NAME.key, set PKGTREE_SIGNING_KEY, or remote_cache.signing_key in pkgtree.json")])
        }
        return try SigningKey.read(signingKeyFile)
    }
}
