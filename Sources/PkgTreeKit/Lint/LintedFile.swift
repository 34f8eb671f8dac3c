import Foundation

/// A text file `lint` reads line by line (build script, Dockerfile, `.dockerignore`): its
/// lines, and the suppression comments in them, applied to what a scan found.
struct LintedFile {
    let url: URL
    let display: String
    let package: String?
    let lines: [String]

    /// nil when the file does not exist or cannot be read (the resolver already reported a
    /// missing build script).
    init?(_ url: URL, package: String?) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        self.url = url
        self.display = DisplayPath.of(url)
        self.package = package
        self.lines = Self.lines(of: data)
    }

    /// The lines of a file, without line ends. Text that is not UTF-8 (a Latin-1 comment) is
    /// still scanned: every name looked for is ASCII.
    static func lines(of data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    /// A finding at `line` (1-based), showing that line.
    func finding(line: Int, column: Int, rule: LintRule, text: String, message: String, suggestion: String) -> LintFinding {
        LintFinding(file: display, line: line, column: column, package: package, rule: rule, text: text,
                    message: message, suggestion: suggestion, sourceLine: lines[line - 1])
    }

    /// A finding for each foreign architecture's mention on `line`.
    func mentionFindings(line: Int, target: Architecture, place: ArchMention.Place) -> [LintFinding] {
        ArchMention.foreign(in: lines[line - 1], target: target).map { mention in
            finding(line: line, column: mention.column, rule: mention.rule, text: mention.text,
                    message: mention.message(target: target), suggestion: mention.suggestion(target: target, place: place))
        }
    }

    /// `findings` without those a comment silences, plus one for each suppression naming no rule.
    func applyingSuppressions(_ findings: [LintFinding]) -> [LintFinding] {
        let suppressions = CommentSuppressions(lines: lines)
        let unknown = suppressions.unknownIDs.map { entry in
            finding(line: entry.line, column: entry.column, rule: .unknownRule, text: entry.id,
                    message: "'\(entry.id)' is not a lint rule, so this comment silences nothing",
                    suggestion: Suggestion.hint(for: entry.id, among: LintRule.suppressibleIDs)
                        ?? "rules: \(LintRule.suppressibleIDs.joined(separator: ", "))")
        }
        return findings.filter { !suppressions.silences($0.rule, line: $0.line, column: $0.column) } + unknown
    }
}
