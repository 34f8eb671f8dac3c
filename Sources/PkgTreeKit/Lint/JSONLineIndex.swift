import Foundation

/// Where each value of a JSON file starts, by its path of keys (array elements as `[i]`),
/// so that a finding about `sources.foo.url` points at its line. Foundation's parser keeps
/// no positions; this walks the text of a file the loader has already parsed, so it can
/// assume valid JSON and stops quietly at anything else. It also keeps each value's byte
/// range and each member's key offset, so `pkgtree port` can edit one member in place.
struct JSONLineIndex {
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    private(set) var positions: [[String]: Position] = [:]
    /// Byte range of each value, by path: from its first byte to just after its last.
    private(set) var valueRanges: [[String]: Range<Int>] = [:]
    /// Byte offset of the opening quote of each object member's key, by the member's path.
    private(set) var keyOffsets: [[String]: Int] = [:]
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1

    init(_ data: Data) {
        bytes = Array(data)
        skipBlanks()
        _ = value(at: [])
    }

    func position(of path: [String]) -> Position? {
        positions[path]
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func advance() {
        guard let byte = current else { return }
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // characters, not UTF-8 continuation bytes
        }
        offset += 1
    }

    private mutating func skipBlanks() {
        while let byte = current, [0x20, 0x0A, 0x0D, 0x09].contains(byte) { advance() }
    }

    /// Records and skips the value at the current offset; false at malformed input.
    private mutating func value(at path: [String]) -> Bool {
        positions[path] = Position(line: line, column: column)
        let start = offset
        let complete: Bool
        switch current {
        case UInt8(ascii: "{")?: complete = members(at: path)
        case UInt8(ascii: "[")?: complete = elements(at: path)
        case UInt8(ascii: "\"")?: complete = string() != nil
        case nil: return false
        default:
            while let byte = current, !",}] \n\r\t".utf8.contains(byte) { advance() }
            complete = true
        }
        if complete { valueRanges[path] = start..<offset }
        return complete
    }

    private mutating func members(at path: [String]) -> Bool {
        container(closing: UInt8(ascii: "}")) { index, _ in
            let keyOffset = index.offset
            guard let key = index.string() else { return false }
            index.keyOffsets[path + [key]] = keyOffset
            index.skipBlanks()
            guard index.current == UInt8(ascii: ":") else { return false }
            index.advance()
            index.skipBlanks()
            return index.value(at: path + [key])
        }
    }

    private mutating func elements(at path: [String]) -> Bool {
        container(closing: UInt8(ascii: "]")) { index, position in index.value(at: path + ["[\(position)]"]) }
    }

    /// `{…}` or `[…]`: `item` reads the n-th member or element; false at malformed input.
    private mutating func container(closing: UInt8, item: (inout JSONLineIndex, Int) -> Bool) -> Bool {
        advance()
        skipBlanks()
        if current == closing { advance(); return true }
        var count = 0
        while true {
            guard item(&self, count) else { return false }
            count += 1
            skipBlanks()
            guard let separator = current else { return false }
            advance()
            if separator == closing { return true }
            guard separator == UInt8(ascii: ",") else { return false }
            skipBlanks()
        }
    }

    /// A string literal, decoded (escapes included) by Foundation.
    private mutating func string() -> String? {
        guard current == UInt8(ascii: "\"") else { return nil }
        let start = offset
        advance()
        while let byte = current, byte != UInt8(ascii: "\"") {
            if byte == UInt8(ascii: "\\") { advance() }
            advance()
        }
        guard current != nil else { return nil }
        advance()
        let literal = bytes[start..<offset]
        if !literal.contains(UInt8(ascii: "\\")) { return String(decoding: literal.dropFirst().dropLast(), as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(literal))
    }
}
