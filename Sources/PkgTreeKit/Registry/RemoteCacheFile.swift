import Foundation

/// The `remote_cache` object of `pkgtree.json`:
///
///     "remote_cache": {"url": "oci://HOST[:PORT]/REPO", "trusted_keys": ["NAME:BASE64", …],
///                      "signing_key": "keys/ci.key", "push": false, "tls_verify": true,
///                      "cert_dir": "certs/registry"}
///
/// Paths are relative to the file's directory. Every field is optional; an unknown one is an
/// error naming it.
struct RemoteCacheFile {
    static let key = ConfigurationSection.remoteCacheKey

    var display: String
    var url: String?
    var trustedKeys: [String] = []
    var signingKey: URL?
    var push: Bool?
    var tlsVerify: Bool?
    var certDir: URL?

    /// The tree's `remote_cache` settings, or nil when its pkgtree.json (if any) has none.
    static func read(packages: URL) throws(Problems) -> RemoteCacheFile? {
        guard let section = try ConfigurationSection.read(key, packages: packages, example: #"{"url": "oci://HOST/REPO"}"#) else { return nil }
        let display = section.display
        var settings = RemoteCacheFile(display: display)
        var problems = ProblemCollector()
        let known = ["url", "trusted_keys", "signing_key", "push", "tls_verify", "cert_dir"]
        for (name, item) in section.fields.sorted(by: { $0.key < $1.key }) {
            let field = "\(key).\(name)"
            switch (name, item) {
            case ("url", .string(let text)): settings.url = text
            case ("trusted_keys", .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
                settings.trustedKeys = items.compactMap(\.stringValue)
            case ("signing_key", .string(let path)): settings.signingKey = section.url(path)
            case ("push", .bool(let flag)): settings.push = flag
            case ("tls_verify", .bool(let flag)): settings.tlsVerify = flag
            case ("cert_dir", .string(let path)): settings.certDir = section.url(path)
            case (_, _) where known.contains(name):
                problems.add(Problem(file: display, field: field, "has the wrong type (\(item.typeName))",
                                     hint: "url, signing_key, cert_dir: strings; trusted_keys: a list of strings; push, tls_verify: true or false"))
            default:
                problems.add(Problem(file: display, field: field, "is not a remote_cache field",
                                     hint: Suggestion.hint(for: name, among: known) ?? "known fields: \(known.joined(separator: ", "))"))
            }
        }
        try problems.throwIfAny()
        return settings
    }
}
