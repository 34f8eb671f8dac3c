/// Just enough of Swift's lexical structure for `LayerCheck`: the code of a file without its
/// comments and string literals (blanked, so lines and columns stay where they were; an
/// interpolation's code is kept), its declarations, and its words.
enum SourceCode {
    private enum Context {
        case string(hashes: Int, multiline: Bool)
        case interpolation(depth: Int)
    }

    /// `text` with comments and string literals replaced by spaces, newlines kept.
    static func code(of text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var stack: [Context] = []
        var index = 0
        func blank(_ count: Int) {
            for scalar in scalars[index..<min(index + count, scalars.count)] { output.append(scalar == "\n" ? "\n" : " ") }
            index += count
        }
        func at(_ position: Int, _ literal: String) -> Bool {
            let wanted = Array(literal.unicodeScalars)
            return position + wanted.count <= scalars.count && Array(scalars[position..<position + wanted.count]) == wanted
        }
        func hashes(from position: Int) -> Int {
            var count = 0
            while position + count < scalars.count, scalars[position + count] == "#" { count += 1 }
            return count
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if case .string(let count, let multiline)? = stack.last {
                let marks = String(repeating: "#", count: count)
                if at(index, "\\" + marks + "(") {
                    blank(count + 2)
                    stack.append(.interpolation(depth: 1))
                } else if at(index, "\\" + marks) {
                    blank(count + 2)  // an escape: the backslash, its hashes and one character
                } else if at(index, (multiline ? "\"\"\"" : "\"") + marks) {
                    blank((multiline ? 3 : 1) + count)
                    stack.removeLast()
                } else {
                    blank(1)
                }
                continue
            }
            if at(index, "//") {
                while index < scalars.count, scalars[index] != "\n" { blank(1) }
                continue
            }
            if at(index, "/*") {
                var depth = 0
                repeat {
                    if at(index, "/*") { depth += 1; blank(2) } else if at(index, "*/") { depth -= 1; blank(2) } else { blank(1) }
                } while depth > 0 && index < scalars.count
                continue
            }
            let count = hashes(from: index)
            if at(index + count, "\"") {
                let multiline = at(index + count, "\"\"\"")
                blank(count + (multiline ? 3 : 1))
                stack.append(.string(hashes: count, multiline: multiline))
                continue
            }
            if case .interpolation(let depth)? = stack.last {
                if scalar == "(" { stack[stack.count - 1] = .interpolation(depth: depth + 1) }
                if scalar == ")" {
                    if depth == 1 {
                        stack.removeLast()
                        blank(1)
                        continue
                    }
                    stack[stack.count - 1] = .interpolation(depth: depth - 1)
                }
            }
            output.append(scalar)
            index += 1
        }
        return String(output)
    }

    private static let modifiers = #"(?:@\w+(?:\([^)]*\))?\s+|(?:public|package|internal|fileprivate|private|final|indirect|nonisolated|static|mutating|override)\s+)*"#
    private static var typeDeclaration: Regex<AnyRegexOutput> {
        try! Regex(modifiers + #"(?:struct|enum|class|actor|protocol|typealias)\s+(\w+)"#)
    }
    private static var extensionDeclaration: Regex<AnyRegexOutput> {
        try! Regex(#"(?:public\s+|package\s+|internal\s+|fileprivate\s+|private\s+)?extension\s+(\w+)"#)
    }
    private static var memberDeclaration: Regex<AnyRegexOutput> {
        try! Regex(#"    "# + modifiers + #"(?:func|var|let)\s+(\w+)"#)
    }

    /// Types declared at the top level of `code` (in column 0).
    static func topLevelTypes(in code: String) -> [String] {
        let declaration = typeDeclaration
        return code.split(separator: "\n").compactMap { line in
            guard let match = line.prefixMatch(of: declaration) else { return nil }
            return match.output[1].substring.map(String.init)
        }
    }

    /// Types declared anywhere in `code`, nested ones too.
    static func declaredTypes(in code: String) -> Set<String> {
        let declaration = typeDeclaration
        return Set(code.split(separator: "\n").compactMap { line in
            let trimmed = line.drop { $0 == " " }
            guard let match = trimmed.prefixMatch(of: declaration) else { return nil }
            return match.output[1].substring.map(String.init)
        })
    }

    /// Functions, properties and constants declared anywhere in `code`, at any depth.
    static func declaredMembers(in code: String) -> Set<String> {
        let declaration = try! Regex(modifiers + #"(?:func|var|let)\s+(\w+)"#)
        return Set(code.split(separator: "\n").compactMap { line in
            let trimmed = line.drop { $0 == " " }
            guard let match = trimmed.prefixMatch(of: declaration) else { return nil }
            return match.output[1].substring.map(String.init)
        })
    }

    /// The members, other than private ones, that the top-level extensions of `code` add to
    /// types not among `declared` (types from outside the package).
    static func outsideExtensionMembers(in code: String, declared: Set<String>) -> [String] {
        let (extensionDeclaration, memberDeclaration) = (extensionDeclaration, memberDeclaration)
        var members: [String] = []
        var extending = false
        for line in code.split(separator: "\n") {
            if let match = line.prefixMatch(of: extensionDeclaration), let name = match.output[1].substring {
                extending = !declared.contains(String(name))
            } else if line.hasPrefix("}") {
                extending = false
            } else if extending, !line.contains("private "), let match = line.prefixMatch(of: memberDeclaration),
                      let name = match.output[1].substring {
                members.append(String(name))
            }
        }
        return members
    }

    /// The identifiers of a line of code, each with whether a `.` comes right before it.
    static func words(in line: Substring) -> [(name: String, afterDot: Bool)] {
        var words: [(name: String, afterDot: Bool)] = []
        var current = ""
        var previous: Character = " "
        var startsAfterDot = false
        for character in line + " " {
            if character == "_" || character.isLetter || (character.isNumber && !current.isEmpty) {
                if current.isEmpty { startsAfterDot = previous == "." }
                current.append(character)
            } else if !current.isEmpty {
                words.append((current, startsAfterDot))
                current = ""
            }
            previous = character
        }
        return words
    }
}
