import Foundation

/// Finds a key that appears twice in one JSON object. Parsers disagree on which one counts —
/// Python's `json`, and so pkgpanda, keeps the last; Foundation's decoder keeps the first —
/// so `{"requires": ["a"], "requires": []}` would silently mean something else in pkgtree.
/// No Foundation parser reports duplicates, hence this scan over text already known to be
/// valid JSON: it only needs to tell strings, brackets, commas and colons apart.
enum JSONDuplicateKeys {
    private enum Frame {
        case object(keys: Set<String>, current: String?)
        case array(index: Int)
    }

    /// The first repeated key as a field path (`environment.A`, `requires[0].name`) and the
    /// byte offset of its second occurrence; nil when every object's keys are distinct.
    static func first(in data: Data) -> (field: String, offset: Int)? {
        let bytes = [UInt8](data)
        var stack: [Frame] = []
        var expectingKey = false
        var position = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [], current: nil))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast()
            case UInt8(ascii: ","):
                if case .array(let index)? = stack.last {
                    stack[stack.count - 1] = .array(index: index + 1)
                } else {
                    expectingKey = true
                }
            case UInt8(ascii: "\""):
                let start = position
                position = endOfString(bytes, from: start)
                if expectingKey, case .object(var keys, _)? = stack.last {
                    let key = decodedString(bytes[start...position])
                    if keys.contains(key) { return (path(stack) + key, start) }
                    keys.insert(key)
                    stack[stack.count - 1] = .object(keys: keys, current: key)
                    expectingKey = false
                }
            default:
                break
            }
            position += 1
        }
        return nil
    }

    /// The offset of the quote that closes the string opening at `start`.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var position = start + 1
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        return position
    }

    /// A key with its escapes resolved, so `"\u0072equires"` is `requires`.
    private static func decodedString(_ literal: ArraySlice<UInt8>) -> String {
        (try? JSONDecoder().decode(String.self, from: Data(literal))) ?? String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
    }

    /// The field path of the container being read, ending in "." for an object's key.
    private static func path(_ stack: [Frame]) -> String {
        var path = ""
        for frame in stack.dropLast() {
            switch frame {
            case .object(_, let current): path += (path.isEmpty ? "" : ".") + (current ?? "")
            case .array(let index): path += "[\(index)]"
            }
        }
        return path.isEmpty ? "" : path + "."
    }
}
