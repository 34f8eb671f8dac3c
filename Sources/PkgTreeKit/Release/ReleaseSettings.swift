import Foundation

/// How releases are signed: `--sign-key FILE`, else `PKGTREE_RELEASE_SIGNING_KEY`, else the
/// `release` object of `pkgtree.json` (docs/release.md):
///
///     "release": {"signing_key": "keys/release.example.org-1.key"}
///
/// The path is relative to the file's directory. An unknown field is an error naming it.
public enum ReleaseSettings {
    static let key = ConfigurationSection.releaseKey
    static let known = ["signing_key"]

    /// The key that signs `SHA256SUMS`, or nil when none is configured (the release is then
    /// unsigned). A key that is configured but cannot be read is a problem.
    public static func signingKey(packages: URL, option: String?,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws(Problems) -> SigningKey? {
        let configured = try configuredKey(packages: packages)
        let variable = environment["PKGTREE_RELEASE_SIGNING_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let file = (option ?? variable).map({ URL(fileURLWithPath: $0) }) ?? configured else { return nil }
        return try SigningKey.read(file)
    }

    private static func configuredKey(packages: URL) throws(Problems) -> URL? {
        guard let section = try ConfigurationSection.read(key, packages: packages, example: #"{"signing_key": "keys/release.key"}"#) else {
            return nil
        }
        var problems = ProblemCollector()
        var file: URL?
        for (name, value) in section.fields.sorted(by: { $0.key < $1.key }) {
            switch (name, value) {
            case ("signing_key", .string(let path)): file = section.url(path)
            case ("signing_key", _):
                problems.add(Problem(file: section.display, field: "\(key).\(name)", "has the wrong type (\(value.typeName))",
                                     hint: "the path of a key file written by `pkgtree key generate`, as a string"))
            default:
                problems.add(Problem(file: section.display, field: "\(key).\(name)", "is not a release field",
                                     hint: Suggestion.hint(for: name, among: known) ?? "known fields: \(known.joined(separator: ", "))"))
            }
        }
        try problems.throwIfAny()
        return file
    }
}
