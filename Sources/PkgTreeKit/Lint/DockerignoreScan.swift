import Foundation

/// A package's `docker/.dockerignore`: rules that leave the target architecture's files out of
/// the build context while another architecture's stay in, as in a tree that only ever built
/// for x86_64 and dropped the arm64 binaries to keep the context small:
///
///     bin/*-arm64        <- for aarch64, its own binaries are gone
///     !bin/*-amd64
///
/// As Docker reads the file, the last rule naming a file wins. A file that excludes every
/// architecture it names (prebuilt binaries kept out on purpose) is fine.
enum DockerignoreScan {
    static func findings(_ file: LintedFile, target: Architecture) -> [LintFinding] {
        var excluded: [Architecture: Bool] = [:]
        var targetRule: (line: Int, text: String)?
        var keptRule: [Architecture: String] = [:]
        for (index, text) in file.lines.enumerated() {
            let pattern = text.trimmingCharacters(in: .whitespaces)
            if pattern.isEmpty || pattern.hasPrefix("#") { continue }
            let negated = pattern.hasPrefix("!")
            for arch in Set(ArchMention.find(in: pattern).map(\.arch)) {
                excluded[arch] = !negated
                if arch == target, !negated { targetRule = (index + 1, pattern) }
                if negated { keptRule[arch] = pattern }
            }
        }
        guard excluded[target] == true, let targetRule else { return [] }
        let others = excluded.keys.filter { $0 != target }.sorted()
        let kept = others.filter { excluded[$0] == false }
        guard others.isEmpty || !kept.isEmpty else { return [] }
        let keeps = kept.isEmpty ? "every other architecture's"
            : kept.map { "\($0)'s" + (keptRule[$0].map { " ('\($0)')" } ?? "") }.joined(separator: ", ")
        let column = file.lines[targetRule.line - 1].prefix(while: \.isWhitespace).count + 1
        return file.applyingSuppressions([file.finding(
            line: targetRule.line, column: column, rule: .dockerignoreArch, text: targetRule.text,
            message: "'\(targetRule.text)' leaves \(target)'s files out of the build context, but keeps \(keeps)",
            suggestion: "drop the rule, or exclude every architecture's files alike and pick the target's in the Dockerfile with ${TARGETARCH}")])
    }
}
