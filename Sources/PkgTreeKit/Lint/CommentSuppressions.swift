import Foundation

/// `# pkgtree-lint: ignore[rule-a,rule-b] why` comments in build scripts, Dockerfiles and
/// `.dockerignore` files. A marker silences its own line. On a comment line of its own it
/// also silences the lines below it, up to and including the next line that is not a comment:
/// the code line under it, or a whole comment block and the line after it (a header that
/// explains the architectures needs one marker, not one per line).
/// `ignore` without a list (or `ignore[all]`) silences every rule.
struct CommentSuppressions {
    static let marker = "pkgtree-lint:"

    /// Line -> silenced rule ids (or `all`).
    private var silenced: [Int: Set<String>] = [:]
    /// Line -> the column of its marker: the marker and its reason are never findings.
    private var markerColumns: [Int: Int] = [:]
    /// Ids in markers that name no rule, with where they were written.
    private(set) var unknownIDs: [(line: Int, column: Int, id: String)] = []

    /// `lines[0]` is line 1.
    init(lines: [String]) {
        for (index, line) in lines.enumerated() {
            guard let (ids, column) = Self.parse(line) else { continue }
            let number = index + 1
            markerColumns[number] = column
            for id in ids where !LintRule.suppressibleIDs.contains(id) {
                unknownIDs.append((number, column, id))
            }
            let valid = ids.isEmpty ? ["all"] : Set(ids.filter(LintRule.suppressibleIDs.contains))
            silenced[number, default: []].formUnion(valid)
            guard Self.isComment(line) else { continue }
            var next = number + 1
            silenced[next, default: []].formUnion(valid)
            while next <= lines.count, Self.isComment(lines[next - 1]) {
                next += 1
                silenced[next, default: []].formUnion(valid)
            }
        }
    }

    private static func isComment(_ line: String) -> Bool {
        line.drop(while: \.isWhitespace).hasPrefix("#")
    }

    func silences(_ rule: LintRule, line: Int, column: Int) -> Bool {
        guard rule != .unknownRule else { return false }
        if let marker = markerColumns[line], column >= marker { return true }
        guard let ids = silenced[line] else { return false }
        return ids.contains("all") || ids.contains(rule.rawValue)
    }

    /// The ids of a marker in a comment (empty: all), and the marker's column.
    private static func parse(_ line: String) -> (ids: [String], column: Int)? {
        guard let hash = line.firstIndex(of: "#"),
              let range = line.range(of: marker, range: hash..<line.endIndex) else { return nil }
        let rest = line[range.upperBound...].drop(while: \.isWhitespace)
        guard rest.hasPrefix("ignore") else { return nil }
        let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
        let afterKeyword = rest.dropFirst("ignore".count)
        guard afterKeyword.first == "[", let close = afterKeyword.firstIndex(of: "]") else { return ([], column) }
        let ids = afterKeyword[afterKeyword.index(after: afterKeyword.startIndex)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (ids, column)
    }
}
