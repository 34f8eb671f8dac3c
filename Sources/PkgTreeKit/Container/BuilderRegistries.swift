import Foundation

/// TLS toward the registries that builder images come from, per registry: `pkgtree.json`'s
/// `builder_registries` object,
///
///     "builder_registries": {"registry.example:5000": {"cert_dir": "certs/registry", "tls_verify": true}}
///
/// keyed `HOST[:PORT]` as image references name registries (`docker.io` for Docker Hub).
/// A registry it does not name gets podman's defaults: HTTPS verified against the system's CAs
/// and the `*.crt` files of its `certs.d` directory (`RegistryTLS`). Credentials come from the
/// podman/docker login files, as for the remote cache.
public struct BuilderRegistries: Sendable, Hashable {
    public var tls: [String: RegistryTLS] = [:]

    public init(tls: [String: RegistryTLS] = [:]) {
        self.tls = tls
    }

    static let key = "builder_registries"

    public func tls(for registry: String) -> RegistryTLS {
        tls[registry] ?? RegistryTLS()
    }

    /// Reads the object `value` of `file` (shown as `display`); paths are relative to the file.
    static func read(_ value: JSONValue, file: URL, display: String) -> Result<BuilderRegistries, Problems> {
        guard case .object(let hosts) = value else {
            return .failure(Problems([Problem(file: display, field: key, "expected an object of registries such as {\"HOST:PORT\": {\"cert_dir\": \"certs/HOST\"}}")]))
        }
        var registries = BuilderRegistries()
        var problems: [Problem] = []
        for (host, settings) in hosts.sorted(by: { $0.key < $1.key }) {
            let field = "\(key).\(host)"
            guard OCIName.isRegistryHost(host) else {
                problems.append(Problem(file: display, field: field, "is not a registry (HOST or HOST:PORT, as an image reference names it)"))
                continue
            }
            var tls = RegistryTLS()
            for (name, item) in (settings.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                switch (name, item) {
                case ("tls_verify", .bool(let flag)): tls.verify = flag
                case ("cert_dir", .string(let path)):
                    tls.certDirectory = URL(fileURLWithPath: path, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
                default:
                    problems.append(Problem(file: display, field: "\(field).\(name)", "is not a registry setting of this type",
                                            hint: "a registry has tls_verify (true or false) and cert_dir (a directory of *.crt files)"))
                }
            }
            if settings.objectValue == nil {
                problems.append(Problem(file: display, field: field, "expected an object such as {\"cert_dir\": \"certs/\(host)\"}"))
            }
            registries.tls[host] = tls
        }
        return problems.isEmpty ? .success(registries) : .failure(Problems(problems))
    }
}
