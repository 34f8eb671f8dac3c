/// One line of a build script cut into the text that must match between two trees and the
/// pieces that may differ: architecture names (`ArchMention`) and references to the variables
/// that hold them (`$PKG_ARCH`, `${PORT_ARCH_NAME_1}`).
struct ScriptLine {
    struct Token: Sendable, Hashable {
        /// Byte range in the line.
        var range: Range<Int>
        var text: String
        /// The variable's name, for a reference.
        var reference: String?
    }

    let bytes: [UInt8]
    let tokens: [Token]

    /// `references` are the whole script's, with byte ranges relative to `lineStart`.
    init(_ bytes: [UInt8], lineStart: Int, references: [ArchVariables.Reference]) {
        self.bytes = bytes
        let line = String(decoding: bytes, as: UTF8.self)
        var tokens = references.map { reference in
            Token(range: (reference.range.lowerBound - lineStart)..<(reference.range.upperBound - lineStart),
                  text: String(decoding: bytes[(reference.range.lowerBound - lineStart)..<(reference.range.upperBound - lineStart)], as: UTF8.self),
                  reference: reference.name)
        }
        for mention in ArchMention.find(in: line) {
            let start = line.prefix(mention.column - 1).utf8.count
            let range = start..<(start + mention.text.utf8.count)
            if !tokens.contains(where: { $0.range.overlaps(range) }) {
                tokens.append(Token(range: range, text: mention.text, reference: nil))
            }
        }
        self.tokens = tokens.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The text between the tokens: one more piece than there are tokens.
    var gaps: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for token in tokens {
            result.append(bytes[start..<token.range.lowerBound])
            start = token.range.upperBound
        }
        result.append(bytes[start...])
        return result
    }

    /// Whether a variable can stand where `token` is: not glued into a variable name
    /// (`$CFLAGS_x86_64`, `x86_64_FLAGS=`), where `${PKG_ARCH}` would change what the shell reads.
    func isReplaceable(_ token: Token) -> Bool {
        var start = token.range.lowerBound
        while start > 0, ArchVariables.isNameByte(bytes[start - 1]) { start -= 1 }
        var end = token.range.upperBound
        while end < bytes.count, ArchVariables.isNameByte(bytes[end]) { end += 1 }
        let before = bytes[..<start].suffix(2)
        let after = bytes[end...].prefix(2)
        return before.last != UInt8(ascii: "$") && !before.elementsEqual("${".utf8)
            && after.first != UInt8(ascii: "=") && !after.elementsEqual("+=".utf8)
    }
}
