/// One thing `pkgtree lint` found: where, which rule, the offending text, and what to write
/// instead.
public struct LintFinding: Sendable, Hashable, Comparable {
    /// The file as shown to people (relative to the working directory when inside it).
    public var file: String
    /// 1-based line and column; line 0 when the file has no line to point at.
    public var line: Int
    public var column: Int
    public var package: String? = nil
    public var rule: LintRule
    /// The offending text itself (`amd64`, `-mavx2`, a URL).
    public var text: String
    public var message: String
    public var suggestion: String
    /// The whole source line, to show the text in context.
    public var sourceLine: String?
    /// For buildinfo and treeinfo findings: the JSON field, as `sources.foo.url`.
    public var field: String? = nil

    public static func < (lhs: LintFinding, rhs: LintFinding) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.rule.rawValue, lhs.text) < (rhs.file, rhs.line, rhs.column, rhs.rule.rawValue, rhs.text)
    }
}
