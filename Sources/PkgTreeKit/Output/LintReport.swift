/// `pkgtree lint` output: compiler-style diagnostics for people and editors, or one JSON
/// document for tools.
public enum LintReport {
    /// `path:line:column: rule: message`, the source line with the text marked, the suggestion;
    /// then a summary line.
    public static func text(_ report: Linter.Report) -> String {
        var lines: [String] = []
        for finding in report.findings {
            lines.append("\(finding.file):\(finding.line):\(finding.column): \(finding.rule.id): \(finding.message)")
            if let source = finding.sourceLine {
                lines.append("    " + source)
                lines.append("    " + marker(finding, in: source))
            }
            lines.append("  suggestion: \(finding.suggestion)")
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ report: Linter.Report) -> String {
        let linted = PlanReport.count(report.packages.count, "package")
        guard !report.findings.isEmpty else { return "no findings for \(report.arch) (\(linted) linted)" }
        let packages = Set(report.findings.compactMap(\.package)).count
        return "\(PlanReport.count(report.findings.count, "finding")) for \(report.arch) in \(PlanReport.count(packages, "package")) (\(linted) linted); "
            + "a comment `# pkgtree-lint: ignore[rule]` or the buildinfo field \"pkgtree_lint\" silences one on purpose"
    }

    /// `^~~~~` under the text, keeping the line's tabs so it lines up.
    private static func marker(_ finding: LintFinding, in source: String) -> String {
        let prefix = source.prefix(max(0, finding.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        let rest = source.dropFirst(max(0, finding.column - 1))
        let length = rest.hasPrefix(finding.text) ? max(1, finding.text.count) : 1
        return prefix + "^" + String(repeating: "~", count: length - 1)
    }

    /// One document: `arch`, `variant`, `packages` (linted), `findings` (each with `file`,
    /// `line`, `column`, `package`, `rule`, `text`, `message`, `suggestion`, `field`,
    /// `source_line`), `counts` (rule -> number) and `warnings`.
    public static func json(_ report: Linter.Report) -> String {
        let counts = Dictionary(report.findings.map { ($0.rule.id, 1) }, uniquingKeysWith: +)
        let document = JSONValue.object([
            "arch": .string(report.arch.rawValue),
            "variant": report.treeVariant.map(JSONValue.string) ?? .null,
            "packages": .array(report.packages.map(JSONValue.string)),
            "findings": .array(report.findings.map(json)),
            "counts": .object(counts.mapValues(JSONValue.int)),
            "warnings": .array(report.warnings.map { .string($0.description) }),
        ])
        return PlanReport.jsonLine(document)
    }

    private static func json(_ finding: LintFinding) -> JSONValue {
        .object([
            "file": .string(finding.file),
            "line": .int(finding.line),
            "column": .int(finding.column),
            "package": finding.package.map(JSONValue.string) ?? .null,
            "rule": .string(finding.rule.id),
            "text": .string(finding.text),
            "message": .string(finding.message),
            "suggestion": .string(finding.suggestion),
            "field": finding.field.map(JSONValue.string) ?? .null,
            "source_line": finding.sourceLine.map(JSONValue.string) ?? .null,
        ])
    }
}
