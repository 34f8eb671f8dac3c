/// pkgpanda's naming rules for packages and variants: `[a-zA-Z0-9@._+-]`, not starting with
/// `-` or `.`, and never containing `--`, which separates a name from its version in an id.
enum PackageName {
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._+-")

    /// Why `name` is not a valid package name, or nil when it is.
    static func invalidReason(_ name: String) -> String? {
        if name.isEmpty { return "a package name cannot be empty" }
        if let bad = name.first(where: { !allowed.contains($0) }) {
            return "'\(name)' contains '\(bad)'; package names use only letters, digits and @ . _ + -"
        }
        if name.hasPrefix("-") || name.hasPrefix(".") {
            return "'\(name)' starts with '\(name.first!)'; package names cannot start with '-' or '.'"
        }
        if name.contains("--") {
            return "'\(name)' contains '--', which separates a package name from its version in an id"
        }
        return nil
    }

    /// Whether `text` looks like a package id (`name--version`) rather than a name.
    static func looksLikeID(_ text: String) -> Bool {
        PackageID(text) != nil
    }
}
