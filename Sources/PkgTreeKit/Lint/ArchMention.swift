/// A place in one line of text that names an architecture: a word (`amd64`), a GNU triplet
/// (`x86_64-linux-gnu`), a compiler flag (`-mavx2`) or a dynamic loader path.
struct ArchMention: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case name(ArchSpelling)
        case triplet
        case flag
        case loader
    }

    var text: String
    /// 1-based, in characters.
    var column: Int
    var arch: Architecture
    var kind: Kind

    var rule: LintRule {
        switch kind {
        case .name: .archName
        case .triplet: .archTriplet
        case .flag: .archFlag
        case .loader: .archLoader
        }
    }

    /// Every mention in `line`, left to right. Where two overlap (`x86_64` inside
    /// `x86_64-linux-gnu`, `armv8` inside `-march=armv8-a`), the longer one stands.
    static func find(in line: String) -> [ArchMention] {
        let bytes = Array(line.utf8)
        var found = ArchWords.names(in: bytes) + ArchWords.loaders(in: bytes) + CompilerFlags.mentions(in: bytes)
        found.sort { ($0.range.count, $1.range.lowerBound) > ($1.range.count, $0.range.lowerBound) }
        var kept: [ByteMatch] = []
        for match in found where !kept.contains(where: { $0.range.overlaps(match.range) }) {
            kept.append(match)
        }
        return kept.sorted { $0.range.lowerBound < $1.range.lowerBound }.map { match in
            ArchMention(text: String(decoding: bytes[match.range], as: UTF8.self),
                        column: String(decoding: bytes[..<match.range.lowerBound], as: UTF8.self).count + 1,
                        arch: match.arch, kind: match.kind)
        }
    }

    /// Only the mentions of architectures other than `target`.
    static func foreign(in line: String, target: Architecture) -> [ArchMention] {
        find(in: line).filter { !$0.names(target) }
    }

    /// Whether the mention may stand for `arch`.
    func names(_ arch: Architecture) -> Bool {
        if self.arch == arch { return true }
        if case .name(let spelling) = kind { return spelling.looselyAlso == arch }
        return false
    }
}

/// A mention found in a line's UTF-8 bytes, before it becomes an `ArchMention`.
struct ByteMatch {
    var range: Range<Int>
    var arch: Architecture
    var kind: ArchMention.Kind
}

/// Byte-level helpers: every spelling is ASCII, so matching on bytes is exact and fast.
enum ASCII {
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Start offsets where `needle` occurs in `bytes` as a whole word (no letter or digit on
    /// either side).
    static func wordOccurrences(of needle: [UInt8], in bytes: [UInt8], caseSensitive: Bool) -> [Int] {
        guard needle.count <= bytes.count else { return [] }
        var result: [Int] = []
        for start in 0...(bytes.count - needle.count) {
            if start > 0, isWordByte(bytes[start - 1]) { continue }
            let end = start + needle.count
            if end < bytes.count, isWordByte(bytes[end]) { continue }
            let equal = zip(needle, bytes[start..<end]).allSatisfy { caseSensitive ? $0 == $1 : $0 == lowered($1) }
            if equal { result.append(start) }
        }
        return result
    }
}
