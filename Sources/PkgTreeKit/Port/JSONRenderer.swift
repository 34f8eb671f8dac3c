/// Writes a JSON value in the style of the file it goes into: that file's indent unit and line
/// ending, objects over several lines when the object around them is (else on one line), lists
/// of plain values on one line, keys in the order of the file the value comes from. A value
/// copied whole from the fork keeps the fork's own text, re-indented.
struct JSONRenderer {
    var unit: String
    var newline: String
    /// Where a key stood in the fork's (or this tree's) file, for the path of its object.
    var rank: ([String], String) -> Int?
    /// The fork's text of the value at a path, when it is that value exactly, the indent of
    /// the line its member starts on, and the fork file's indent unit.
    var rawText: ([String], JSONValue) -> (text: String, indent: String, unit: String)?
    /// Whether the object at a path stood on one line in the file it comes from.
    var isInline: ([String]) -> Bool = { _ in false }

    func render(_ value: JSONValue, path: [String], indent: String, multiline: Bool) -> String {
        if let raw = rawText(path, value) {
            return Self.reindent(raw.text, from: (raw.indent, raw.unit), to: (indent, unit), newline: newline)
        }
        switch value {
        case .object(let fields) where !fields.isEmpty:
            let keys = fields.keys.sorted { (rank(path, $0) ?? .max, $0) < (rank(path, $1) ?? .max, $1) }
            let inner = indent + unit
            let members = keys.map { key in
                CanonicalJSON.string(.string(key)) + ": "
                    + render(fields[key]!, path: path + [key], indent: inner, multiline: multiline && !isInline(path))
            }
            return multiline && !isInline(path) ? "{" + newline + members.map { inner + $0 }.joined(separator: "," + newline) + newline + indent + "}"
                : "{" + members.joined(separator: ", ") + "}"
        case .array(let items) where !items.isEmpty:
            let plain = items.allSatisfy { if case .object = $0 { false } else if case .array = $0 { false } else { true } }
            let inner = indent + unit
            let rendered = items.enumerated().map { render($1, path: path + ["[\($0)]"], indent: inner, multiline: multiline) }
            return multiline && !plain ? "[" + newline + rendered.map { inner + $0 }.joined(separator: "," + newline) + newline + indent + "]"
                : "[" + rendered.joined(separator: ", ") + "]"
        default:
            return CanonicalJSON.string(value)
        }
    }

    /// `text` whose lines after the first were indented below `from.indent` in steps of
    /// `from.unit`, indented below `to.indent` in steps of `to.unit` instead.
    static func reindent(_ text: String, from: (indent: String, unit: String), to: (indent: String, unit: String),
                         newline: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        return lines.enumerated().map { index, line in
            guard index > 0, line.hasPrefix(from.indent) else { return String(line) }
            var rest = line.dropFirst(from.indent.count)
            var levels = 0
            while !from.unit.isEmpty, rest.hasPrefix(from.unit) {
                rest = rest.dropFirst(from.unit.count)
                levels += 1
            }
            return to.indent + String(repeating: to.unit, count: levels) + rest
        }.joined(separator: newline)
    }
}
