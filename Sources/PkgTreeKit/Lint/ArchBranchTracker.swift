/// Follows the `if`/`case` blocks of a shell script (or a Dockerfile's `RUN` lines) line by
/// line, to tell which lines sit in a branch on the architecture. Naming `x86_64` there is
/// how a script is meant to handle several architectures, not a porting bug:
///
///     case "$PKG_ARCH" in
///         x86_64) flags="-msse4.2" ;;     # not reported
///     esac
///
/// It is a line scanner, not a shell parser: keywords count when they stand as words
/// outside quotes and comments, and here-documents are skipped as text.
struct ArchBranchTracker {
    /// What a test on the architecture reads: the build's variables, Docker's automatic
    /// platform arguments, and the usual commands.
    static let archSources = [
        "PKG_ARCH", "PKG_GOARCH", "PKG_DEB_ARCH", "PKG_TRIPLET", "PKG_PLATFORM", "PKG_BUILD_ARCH",
        "TARGETARCH", "TARGETPLATFORM", "TARGETVARIANT", "BUILDARCH", "BUILDPLATFORM",
        "uname -m", "uname -p", "dpkg --print-architecture", "dpkg-architecture", "HOSTTYPE", "MACHTYPE",
        "go env GOARCH", "$(arch)", "`arch`",
    ]

    /// One entry per open `if`/`case`: whether it branches on the architecture.
    private var blocks: [Bool] = []
    private var hereDocumentEnd: ShellText.HereDocument?

    /// Whether `line` (the next line of the file) is inside, or is, a test on the architecture.
    mutating func isArchBranch(_ line: String) -> Bool {
        let enclosed = blocks.contains(true)
        if let end = hereDocumentEnd {
            let candidate = end.stripsTabs ? String(line.drop(while: { $0 == "\t" })) : line
            if candidate == end.word { hereDocumentEnd = nil }
            return enclosed
        }
        let code = ShellText.withoutComment(line)
        let tests = Self.archSources.contains(where: code.contains) && ShellText.isTest(code)
        for word in ShellText.keywords(ShellText.withoutQuotedText(code)) {
            switch word {
            case "if", "case": blocks.append(tests)
            case "elif": if tests, !blocks.isEmpty { blocks[blocks.count - 1] = true }
            case "fi", "esac": _ = blocks.popLast()
            default: break
            }
        }
        hereDocumentEnd = ShellText.hereDocumentEnd(code)
        return tests || enclosed || blocks.contains(true)
    }
}

/// Just enough shell lexing for `ArchBranchTracker`.
enum ShellText {
    /// The line without a trailing `# comment` (a `#` that starts a word outside quotes).
    static func withoutComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open && (open == "'" || previous != "\\") { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#" && (previous == " " || previous == "\t" || previous == ";" || index == line.startIndex) {
                return String(line[..<index])
            }
            previous = character
        }
        return line
    }

    /// The line with quoted text blanked, so `echo "if"` holds no keyword.
    static func withoutQuotedText(_ code: String) -> String {
        var result = ""
        var quote: Character?
        for character in code {
            if let open = quote {
                if character == open { quote = nil; result.append(character) }
            } else {
                if character == "'" || character == "\"" { quote = character }
                result.append(character)
            }
        }
        return result
    }

    /// Words that can be shell keywords: split at blanks and the command separators.
    static func keywords(_ code: String) -> [Substring] {
        code.split(whereSeparator: { " \t;&|(){}".contains($0) })
    }

    /// Whether the line tests something: `[`, `[[`, `test`, `case`, `if`, or a `&&`/`||` chain.
    static func isTest(_ code: String) -> Bool {
        let words = Set(keywords(code))
        return code.contains("[") || code.contains("&&") || code.contains("||")
            || !words.isDisjoint(with: ["test", "case", "if", "elif"])
    }

    /// How a here-document ends, and whether its body is expanded.
    struct HereDocument: Sendable, Hashable {
        var word: String
        /// `<<-`: leading tabs are stripped from the body and the delimiter line.
        var stripsTabs: Bool
        /// `<<'EOF'`, `<<"EOF"`, `<<\EOF`: the body is literal text, no `$` expands in it.
        var quoted: Bool
    }

    /// The delimiter of a here-document opened on this line (`<<EOF`, `<<'EOF'`, `<<-EOF`).
    static func hereDocumentEnd(_ code: some StringProtocol) -> HereDocument? {
        guard let range = code.range(of: "<<"), !code[range.upperBound...].hasPrefix("<") else { return nil }
        var rest = code[range.upperBound...]
        let stripsTabs = rest.hasPrefix("-")
        if stripsTabs { rest = rest.dropFirst() }
        let spelled = rest.drop(while: { $0 == " " }).prefix { !" \t;|&)<>".contains($0) }
        let word = spelled.filter { $0 != "'" && $0 != "\"" && $0 != "\\" }
        // `$((1<<2))` shifts: a delimiter starts with a letter or `_`.
        guard let first = word.first, first.isLetter || first == "_" else { return nil }
        return HereDocument(word: String(word), stripsTabs: stripsTabs, quoted: word.count != spelled.count)
    }
}
