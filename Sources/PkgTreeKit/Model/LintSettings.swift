/// The `pkgtree_lint` field of a buildinfo or treeinfo file: which lint rules are silenced on
/// purpose for the findings in that file (JSON has no comments to put a suppression in).
/// Never part of a package id: changing what `lint` reports must not rebuild anything.
public struct LintSettings: Sendable, Hashable {
    /// Rule ids, or `all`.
    public var ignore: Set<String> = []
    /// Why, for the next reader of the file.
    public var reason: String?

    public init(ignore: Set<String> = [], reason: String? = nil) {
        self.ignore = ignore
        self.reason = reason
    }

    public static let fieldName = "pkgtree_lint"

    /// Whether a finding of `rule` is silenced.
    public func ignores(_ rule: LintRule) -> Bool {
        rule != .unknownRule && (ignore.contains("all") || ignore.contains(rule.rawValue))
    }

    /// Reads `{"ignore": ["rule-id", …], "reason": "…"}` at `path`, reporting each wrong part
    /// through `problem(field, message, hint)`.
    static func read(_ value: JSONValue, path: String,
                     problem: (String, String, String?) -> Void) -> LintSettings {
        guard case .object(let fields) = value else {
            problem(path, "expected an object such as {\"ignore\": [\"arch-name\"], \"reason\": \"…\"}, found \(value.typeName)", nil)
            return LintSettings()
        }
        var settings = LintSettings()
        for key in fields.keys.sorted() {
            switch (key, fields[key]!) {
            case ("ignore", .array(let items)):
                for (index, item) in items.enumerated() {
                    guard case .string(let id) = item, LintRule.suppressibleIDs.contains(id) else {
                        problem("\(path).ignore[\(index)]", "\(item.stringValue.map { "'\($0)'" } ?? item.typeName) is not a lint rule",
                                Suggestion.hint(for: item.stringValue ?? "", among: LintRule.suppressibleIDs)
                                    ?? "rules: \(LintRule.suppressibleIDs.joined(separator: ", "))")
                        continue
                    }
                    settings.ignore.insert(id)
                }
            case ("reason", .string(let text)): settings.reason = text
            case ("ignore", let other): problem("\(path).ignore", "expected a list of lint rule ids, found \(other.typeName)", nil)
            case ("reason", let other): problem("\(path).reason", "expected a string, found \(other.typeName)", nil)
            default: problem("\(path).\(key)", "is not a pkgtree_lint field", Suggestion.hint(for: key, among: ["ignore", "reason"]) ?? "fields: ignore, reason")
            }
        }
        return settings
    }
}
