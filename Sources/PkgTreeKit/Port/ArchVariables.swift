/// A build script as a build for one architecture reads it: each `$PKG_ARCH`, `${PKG_GOARCH}`,
/// `$PKG_DEB_ARCH`, `$PKG_TRIPLET`, `$PKG_PLATFORM` the shell expands written out as its value,
/// and `pkgtree port`'s block of other architecture names (`PortNameBlock`) applied and
/// removed. A forked tree spells the names out, so this is how its script and a shared one are
/// compared: `pkgtree show --script --expand`, and `pkgtree port` checking its own work.
public enum ArchVariables {
    /// A `$NAME` or `${NAME}` the shell expands.
    struct Reference: Sendable, Hashable {
        var range: Range<Int>
        var name: String
    }

    /// `script` as it reads for a build for `arch`.
    public static func expand(_ script: String, for arch: Architecture) -> String {
        var text = script
        var values = arch.buildVariables
        if let (block, range) = PortNameBlock.find(in: script) {
            text.removeSubrange(range)
            values.merge(block.values(for: arch)) { $1 }
        }
        var bytes = Array(text.utf8)
        let found = references(in: bytes, names: Set(values.keys))
        for reference in found.reversed() {
            bytes.replaceSubrange(reference.range, with: Array(values[reference.name]!.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The references to `names` in `bytes` at places the shell expands them.
    static func references(in bytes: [UInt8], names: Set<String>,
                           contexts: ShellContexts? = nil) -> [Reference] {
        let contexts = contexts ?? ShellContexts(bytes)
        var result: [Reference] = []
        var index = 0
        while index < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "$"), contexts.expands(at: index),
                  index == 0 || bytes[index - 1] != UInt8(ascii: "\\") else { continue }
            let braced = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{")
            let start = index + (braced ? 2 : 1)
            var end = start
            while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            guard end > start else { continue }
            if braced && (end >= bytes.count || bytes[end] != UInt8(ascii: "}")) { continue }
            let name = String(decoding: bytes[start..<end], as: UTF8.self)
            guard names.contains(name) else { continue }
            let rangeEnd = braced ? end + 1 : end
            result.append(Reference(range: index..<rangeEnd, name: name))
            index = rangeEnd - 1
        }
        return result
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        ASCII.isWordByte(byte) || byte == UInt8(ascii: "_")
    }
}
