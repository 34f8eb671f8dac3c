/// A package's `docker/Dockerfile`: `FROM` lines pinned to another platform or image, and
/// other lines naming another architecture outside a branch on `TARGETARCH` (or `uname -m`).
enum DockerfileScan {
    static func findings(_ file: LintedFile, target: Architecture) -> [LintFinding] {
        var branches = ArchBranchTracker()
        var findings: [LintFinding] = []
        for (index, text) in file.lines.enumerated() {
            let words = text.split(whereSeparator: \.isWhitespace)
            if words.first?.uppercased() == "FROM" {
                findings += from(words.dropFirst(), line: index + 1, file: file, target: target)
                continue
            }
            if branches.isArchBranch(text) { continue }
            findings += file.mentionFindings(line: index + 1, target: target, place: .dockerfile)
        }
        return file.applyingSuppressions(findings)
    }

    /// `FROM [--platform=P] image [AS name]`.
    private static func from(_ words: ArraySlice<Substring>, line: Int, file: LintedFile,
                             target: Architecture) -> [LintFinding] {
        var findings: [LintFinding] = []
        var image: Substring?
        for word in words {
            if word.hasPrefix("--platform=") {
                let platform = String(word.dropFirst("--platform=".count))
                if let mention = ArchMention.foreign(in: platform, target: target).first {
                    findings.append(file.finding(
                        line: line, column: column(of: word), rule: .fromPlatform, text: String(word),
                        message: "FROM is pinned to \(platform) (\(mention.arch)); this build is for \(target) (\(target.ociPlatform))",
                        suggestion: "drop --platform: pkgtree builds docker/ with --platform \(target.ociPlatform) (or write --platform=$TARGETPLATFORM)"))
                }
            } else if !word.hasPrefix("--") {
                image = word
                break
            }
        }
        if let image, let advice = BuilderImageAdvice(String(image), target: target) {
            findings.append(file.finding(line: line, column: column(of: image), rule: .builderImage,
                                         text: String(image), message: advice.message(target: target),
                                         suggestion: advice.fromSuggestion(target: target)))
        }
        return findings
    }

    private static func column(of word: Substring) -> Int {
        word.base.distance(from: word.base.startIndex, to: word.startIndex) + 1
    }
}
