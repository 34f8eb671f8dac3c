import Foundation

/// The canonical JSON that package ids hash: object keys sorted by their UTF-8 bytes, no
/// insignificant whitespace, strings as UTF-8 with only the escapes JSON requires, integers
/// without a fraction. The same value always gives the same bytes, on every machine.
enum CanonicalJSON {
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// A JSON file as pkgtree writes them: the canonical form and a newline.
    static func fileData(_ value: JSONValue) -> Data {
        var output = bytes(value)
        output.append(UInt8(ascii: "\n"))
        return Data(output)
    }

    static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): writeDouble(number, into: &output)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            writeObject(fields, into: &output)
        }
    }

    /// An object, with optionally one more member whose value the caller writes itself (so
    /// a list of thousands of ids need not become `JSONValue`s first).
    static func writeObject(_ fields: [String: JSONValue], extraKey: String? = nil,
                            writeExtra: (inout [UInt8]) -> Void = { _ in }, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        var keys = Array(fields.keys)
        if let extraKey { keys.append(extraKey) }
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            writeString(key, into: &output)
            output.append(UInt8(ascii: ":"))
            if key == extraKey { writeExtra(&output) } else { write(fields[key]!, into: &output) }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Whole numbers print as integers so that `1` and `1.0` hash alike: every whole number
    /// an `Int` holds, as the decoder reads it back. (Above 2^53 every double is whole; the
    /// double 123456789012345632 printed as `1.2345678901234563e+17` read back as the integer
    /// 123456789012345630, so the canonical form changed on a second pass.)
    private static func writeDouble(_ number: Double, into output: inout [UInt8]) {
        if let whole = Int(exactly: number) {
            output.append(contentsOf: String(whole).utf8)
        } else {
            output.append(contentsOf: "\(number)".utf8)
        }
    }

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Almost every string (ids, names, digests) needs no escape: copy it in one piece.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
