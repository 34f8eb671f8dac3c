/// Architecture names, GNU triplets and dynamic loaders in a line of text.
enum ArchWords {
    private static let spellings = ArchSpelling.all.map { (bytes: Array($0.text.utf8), spelling: $0) }

    /// Every spelling as a whole word; one followed by `-[vendor-]linux-gnu…` is a triplet.
    static func names(in bytes: [UInt8]) -> [ByteMatch] {
        spellings.flatMap { entry in
            ASCII.wordOccurrences(of: entry.bytes, in: bytes, caseSensitive: entry.spelling.caseSensitive).map { start in
                let end = start + entry.bytes.count
                if let tripletEnd = tripletSuffixEnd(in: bytes, from: end) {
                    return ByteMatch(range: start..<tripletEnd, arch: entry.spelling.arch, kind: .triplet)
                }
                return ByteMatch(range: start..<end, arch: entry.spelling.arch, kind: .name(entry.spelling))
            }
        }
    }

    /// Where a triplet's `-linux-gnu`, `-pc-linux-gnu`, `-unknown-linux-musl`, `-linux-gnueabihf`
    /// tail ends, if one starts at `start`.
    private static func tripletSuffixEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var components: [String] = []
        var index = start
        while components.count < 3, index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            let begin = index + 1
            var end = begin
            while end < bytes.count, ASCII.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "_") { end += 1 }
            guard end > begin else { break }
            components.append(String(decoding: bytes[begin..<end], as: UTF8.self).lowercased())
            index = end
            if let linux = components.firstIndex(of: "linux"), components.count == linux + 2 {
                let environment = components[linux + 1]
                return ["gnu", "musl", "android"].contains(where: environment.hasPrefix) ? index : nil
            }
        }
        return nil
    }

    /// Each architecture's dynamic loader, by file name (the path before it is taken along).
    static let loaders: [(name: String, arch: Architecture)] = [
        ("ld-linux-x86-64.so.2", .x86_64), ("ld-linux.so.2", .x86_64),
        ("ld-linux-aarch64.so.1", .aarch64),
        ("ld-linux-armhf.so.3", .armv7), ("ld-linux.so.3", .armv7),
        ("ld64.so.2", .ppc64le), ("ld64.so.1", .s390x),
        ("ld-linux-riscv64-lp64d.so.1", .riscv64),
    ]

    /// Where each architecture keeps its loader, for suggestions.
    static func loaderPath(of arch: Architecture) -> String {
        switch arch {
        case .x86_64: "/lib64/ld-linux-x86-64.so.2"
        case .aarch64: "/lib/ld-linux-aarch64.so.1"
        case .armv7: "/lib/ld-linux-armhf.so.3"
        case .ppc64le: "/lib64/ld64.so.2"
        case .s390x: "/lib/ld64.so.1"
        case .riscv64: "/lib/ld-linux-riscv64-lp64d.so.1"
        }
    }

    static func loaders(in bytes: [UInt8]) -> [ByteMatch] {
        loaders.flatMap { loader in
            let name = Array(loader.name.utf8)
            return ASCII.wordOccurrences(of: name, in: bytes, caseSensitive: true).map { start in
                var begin = start
                while begin > 0, isPathByte(bytes[begin - 1]) { begin -= 1 }
                return ByteMatch(range: begin..<(start + name.count), arch: loader.arch, kind: .loader)
            }
        }
    }

    private static func isPathByte(_ byte: UInt8) -> Bool {
        ASCII.isWordByte(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
