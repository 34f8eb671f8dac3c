import Crypto

/// Where an artifact lives in the registry: one repository per architecture
/// (`<REPO>/<arch>`), and a tag made from the package id. The mapping is injective, so two
/// ids never share a tag (docs/registry.md):
///
/// - Tags allow `[A-Za-z0-9_.-]`; ids also hold `@ + : ~`. Those, and the escape character
///   `_` itself, are escaped: `_` → `__`, `@` → `_a`, `+` → `_p`, `:` → `_c`, `~` → `_t`,
///   any other byte → `_x` and two hex digits. `_` followed by one letter is a prefix code,
///   so the tag decodes to exactly one id. An id never starts with `-` or `.`, so neither
///   does its tag.
/// - A tag holds at most 128 characters. An id whose escaped form is longer is tagged
///   `_h<sha256 of the id>`, which no escaped id can be (`_h` is no escape). That form is
///   as unique as SHA-256; the manifest names the full id, and a pull checks it.
public enum RemoteCacheMapping {
    public static func repository(_ location: RemoteCacheLocation, arch: Architecture) -> String {
        "\(location.repository)/\(arch.rawValue)"
    }

    public static func tag(forID id: String) -> String {
        let escaped = escape(id)
        guard escaped.utf8.count <= OCIName.maximumTagLength else {
            return "_h" + SHA256.hash(data: Array(id.utf8)).hexString
        }
        return escaped
    }

    static func escape(_ id: String) -> String {
        var tag = ""
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "_"): tag += "__"
            case UInt8(ascii: "@"): tag += "_a"
            case UInt8(ascii: "+"): tag += "_p"
            case UInt8(ascii: ":"): tag += "_c"
            case UInt8(ascii: "~"): tag += "_t"
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
                tag.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                tag += "_x" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }
        return tag
    }

    /// The id an escaped tag stands for, or nil for a tag no id escapes to (a hashed tag, or
    /// one written by something else). The inverse of `escape`, which the tests check.
    static func unescape(_ tag: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(tag.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "_") else {
                bytes.append(byte)
                continue
            }
            switch iterator.next() {
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: "a"): bytes.append(UInt8(ascii: "@"))
            case UInt8(ascii: "p"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "c"): bytes.append(UInt8(ascii: ":"))
            case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "~"))
            case UInt8(ascii: "x"):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: return nil
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
