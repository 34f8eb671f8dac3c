/// What each byte of a shell script is to the shell: code, inside single or double quotes, a
/// comment, or a here-document body. `pkgtree port` writes `${PKG_ARCH}` only where the shell
/// expands it (`'x86_64'` stays as it is: single quotes would print the variable's name), and
/// the expansion it checks its work with reads the script the same way.
///
/// It is a lexer for the quoting rules, not a shell parser: `$(…)` and backticks nest, `\`
/// escapes, `$'…'` is literal, `#` at the start of a word comments to the end of the line,
/// and a here-document's body (`<<EOF`, literal when the delimiter is quoted) follows its line.
struct ShellContexts {
    enum Context: UInt8, Sendable {
        case code, doubleQuoted, singleQuoted, comment, hereDocument, literalHereDocument
    }

    private(set) var contexts: [Context]

    /// Whether `$NAME` written at `offset` is expanded by the shell. Comments count as
    /// expanded: they do not run, and reading them as the build would keeps a comment that
    /// names the architecture in step with the code around it.
    func expands(at offset: Int) -> Bool {
        guard offset < contexts.count else { return true }
        switch contexts[offset] {
        case .code, .doubleQuoted, .comment, .hereDocument: return true
        case .singleQuoted, .literalHereDocument: return false
        }
    }

    private enum Frame {
        /// Top level, or inside `$(…)` (`parens` counts the `(` opened inside it).
        case code(parens: Int, substitution: Bool)
        case backtick
        case doubleQuoted
    }

    init(_ bytes: [UInt8]) {
        contexts = [Context](repeating: .code, count: bytes.count)
        var stack: [Frame] = [.code(parens: 0, substitution: false)]
        var pending: [ShellText.HereDocument] = []
        var index = 0
        func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
        while index < bytes.count {
            let current = bytes[index]
            switch stack[stack.count - 1] {
            case .doubleQuoted:
                contexts[index] = .doubleQuoted
                if current == UInt8(ascii: "\\") {
                    if index + 1 < bytes.count { contexts[index + 1] = .doubleQuoted }
                    index += 2
                    continue
                }
                if current == UInt8(ascii: "\"") { stack.removeLast() }
                if current == UInt8(ascii: "$"), byte(index + 1) == UInt8(ascii: "(") {
                    stack.append(.code(parens: 0, substitution: true))
                    index += 2
                    continue
                }
                if current == UInt8(ascii: "`") { stack.append(.backtick) }
                index += 1
            case .code, .backtick:
                index = scanCode(bytes, at: index, stack: &stack, pending: &pending)
            }
        }
    }

    /// One step in code (or a backtick substitution); returns the next offset to read.
    private mutating func scanCode(_ bytes: [UInt8], at index: Int, stack: inout [Frame],
                                   pending: inout [ShellText.HereDocument]) -> Int {
        let current = bytes[index]
        let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
        switch current {
        case UInt8(ascii: "\\"):
            return index + 2
        case UInt8(ascii: "'"):
            return mark(bytes, from: index, through: UInt8(ascii: "'"), as: .singleQuoted, escapes: false)
        case UInt8(ascii: "\""):
            stack.append(.doubleQuoted)
        case UInt8(ascii: "$") where next == UInt8(ascii: "'"):
            contexts[index] = .singleQuoted
            return mark(bytes, from: index + 1, through: UInt8(ascii: "'"), as: .singleQuoted, escapes: true)
        case UInt8(ascii: "$") where next == UInt8(ascii: "("):
            stack.append(.code(parens: 0, substitution: true))
            return index + 2
        case UInt8(ascii: "`"):
            if case .backtick = stack[stack.count - 1] { stack.removeLast() } else { stack.append(.backtick) }
        case UInt8(ascii: "("), UInt8(ascii: ")"):
            guard case .code(let parens, let substitution) = stack[stack.count - 1] else { break }
            if current == UInt8(ascii: "(") {
                stack[stack.count - 1] = .code(parens: parens + 1, substitution: substitution)
            } else if parens > 0 {
                stack[stack.count - 1] = .code(parens: parens - 1, substitution: substitution)
            } else if substitution {
                stack.removeLast()
            }
        case UInt8(ascii: "#") where index == 0 || Self.startsWord(after: bytes[index - 1]):
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                contexts[end] = .comment
                end += 1
            }
            return end
        case UInt8(ascii: "<") where next == UInt8(ascii: "<"):
            var lineEnd = index
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if let document = ShellText.hereDocumentEnd(String(decoding: bytes[index..<lineEnd], as: UTF8.self)) {
                pending.append(document)
            }
            return index + 2
        case UInt8(ascii: "\n") where !pending.isEmpty:
            let end = markHereDocuments(bytes, from: index + 1, pending)
            pending = []
            return end
        default:
            break
        }
        return index + 1
    }

    /// Marks `bytes[start]` up to and including the next unescaped `closing`; returns the offset after it.
    private mutating func mark(_ bytes: [UInt8], from start: Int, through closing: UInt8, as context: Context,
                               escapes: Bool) -> Int {
        contexts[start] = context
        var index = start + 1
        while index < bytes.count {
            contexts[index] = context
            if escapes, bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                contexts[index + 1] = context
                index += 2
                continue
            }
            index += 1
            if bytes[index - 1] == closing { break }
        }
        return index
    }

    /// Marks the bodies of the here-documents opened on the line before `start`, one after
    /// another, each through its delimiter line; returns the offset after the last.
    private mutating func markHereDocuments(_ bytes: [UInt8], from start: Int, _ documents: [ShellText.HereDocument]) -> Int {
        var index = start
        for document in documents {
            while index < bytes.count {
                var end = index
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                var line = bytes[index..<end]
                if document.stripsTabs { line = line.drop { $0 == UInt8(ascii: "\t") } }
                let isDelimiter = line.elementsEqual(document.word.utf8)
                for offset in index..<min(end + 1, bytes.count) {
                    contexts[offset] = document.quoted || isDelimiter ? .literalHereDocument : .hereDocument
                }
                index = end + 1
                if isDelimiter { break }
            }
        }
        return index
    }

    private static func startsWord(after byte: UInt8) -> Bool {
        [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"),
         UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")")].contains(byte)
    }
}
