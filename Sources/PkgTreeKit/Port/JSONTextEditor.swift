import Foundation

/// Edits members of a JSON file in its text: sets (replaces or inserts) or removes one member
/// and leaves every other byte as it was, so a buildinfo keeps its formatting, key order and
/// the reader's diff shows only what changed. Positions come from `JSONLineIndex`, taken
/// again after each edit. The file must be valid JSON with an object at the top (the loader
/// has read it); an empty file is `{}`.
struct JSONTextEditor {
    private(set) var bytes: [UInt8]
    private var index: JSONLineIndex
    /// One level of indentation, as the file writes it (two spaces when it does not say).
    let unit: String
    let newline: String

    init(_ data: Data) {
        let isBlank = data.allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
        let topLevel = isBlank ? Array("{}\n".utf8) : Array(data)
        let indices = JSONLineIndex(Data(topLevel))
        bytes = topLevel
        index = indices
        newline = topLevel.indices.dropLast().contains { topLevel[$0] == 0x0D && topLevel[$0 + 1] == 0x0A } ? "\r\n" : "\n"
        let first = Self.members(of: [], in: indices).first
        if let first, let key = indices.keyOffsets[first], Self.isMultiline([], in: indices, topLevel) {
            let memberIndent = Self.indent(at: key, in: topLevel)
            let outer = Self.indent(at: indices.valueRanges[[]]?.lowerBound ?? 0, in: topLevel)
            unit = memberIndent.hasPrefix(outer) && memberIndent.count > outer.count ? String(memberIndent.dropFirst(outer.count)) : "  "
        } else {
            unit = "  "
        }
    }

    var data: Data { Data(bytes) }

    func contains(_ path: [String]) -> Bool {
        index.valueRanges[path] != nil
    }

    /// Sets the member at `path` (its parent must be an object in the file) to the text
    /// `render(indent, multiline)` gives for a member indented by `indent`.
    mutating func set(_ path: [String], render: (_ indent: String, _ multiline: Bool) -> String) {
        let parent = Array(path.dropLast())
        let multiline = Self.isMultiline(parent, in: index, bytes)
        if let range = index.valueRanges[path], let key = index.keyOffsets[path] {
            replace(range, with: render(Self.indent(at: key, in: bytes), multiline))
            return
        }
        guard let parentRange = index.valueRanges[parent] else { return }
        let key = CanonicalJSON.string(.string(path[path.count - 1])) + ": "
        let siblings = Self.members(of: parent, in: index)
        guard let last = siblings.last, let lastEnd = index.valueRanges[last]?.upperBound,
              let firstKey = index.keyOffsets[siblings[0]] else {
            let outer = Self.indent(at: parentRange.lowerBound, in: bytes)
            let inner = outer + unit
            replace(parentRange, with: multiline ? "{" + newline + inner + key + render(inner, true) + newline + outer + "}"
                                                 : "{" + key + render(outer, false) + "}")
            return
        }
        let memberIndent = Self.indent(at: firstKey, in: bytes)
        replace(lastEnd..<lastEnd, with: multiline ? "," + newline + memberIndent + key + render(memberIndent, true)
                                                   : ", " + key + render(memberIndent, false))
    }

    /// Removes the member at `path`, with the comma and blank that went with it.
    mutating func remove(_ path: [String]) {
        let parent = Array(path.dropLast())
        let siblings = Self.members(of: parent, in: index)
        guard let position = siblings.firstIndex(of: path), let end = index.valueRanges[path]?.upperBound,
              let parentRange = index.valueRanges[parent] else { return }
        if siblings.count == 1 {
            replace(parentRange, with: "{}")
        } else if position > 0, let previousEnd = index.valueRanges[siblings[position - 1]]?.upperBound {
            replace(previousEnd..<end, with: "")
        } else if let key = index.keyOffsets[path], let nextKey = index.keyOffsets[siblings[position + 1]] {
            replace(key..<nextKey, with: "")
        }
    }

    private mutating func replace(_ range: Range<Int>, with text: String) {
        bytes.replaceSubrange(range, with: Array(text.utf8))
        index = JSONLineIndex(Data(bytes))
    }

    /// The members of the object at `path`, in file order.
    static func members(of path: [String], in index: JSONLineIndex) -> [[String]] {
        index.keyOffsets.filter { $0.key.count == path.count + 1 && Array($0.key.dropLast()) == path }
            .sorted { $0.value < $1.value }.map(\.key)
    }

    /// Whether the object at `path` puts its members on lines of their own.
    static func isMultiline(_ path: [String], in index: JSONLineIndex, _ bytes: [UInt8]) -> Bool {
        guard let range = index.valueRanges[path] else { return true }
        let firstKey = members(of: path, in: index).first.flatMap { index.keyOffsets[$0] } ?? range.upperBound
        if path.isEmpty && firstKey == range.upperBound { return true }  // `{}`: a file grows downwards
        return bytes[range.lowerBound..<firstKey].contains(0x0A)
    }

    /// The blanks that start the line holding `offset`.
    static func indent(at offset: Int, in bytes: [UInt8]) -> String {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        let blanks = bytes[start...].prefix { $0 == 0x20 || $0 == 0x09 }
        return String(decoding: blanks, as: UTF8.self)
    }
}
