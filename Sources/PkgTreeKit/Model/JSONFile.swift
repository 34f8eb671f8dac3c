import Foundation

/// Reads the JSON files of a tree. An empty file (or one of only whitespace) is `{}`, as in
/// pkgpanda; malformed JSON is reported with its line and column.
enum JSONFile {
    static func read(_ url: URL, displayPath: String, package: String? = nil) throws(Problem) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Problem(file: displayPath, package: package, "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data, displayPath: displayPath, package: package)
    }

    static func parse(_ data: Data, displayPath: String, package: String? = nil) throws(Problem) -> JSONValue {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .object([:])
        }
        if let value = try? JSONDecoder().decode(JSONValue.self, from: data) {
            return value
        }
        throw Problem(file: displayPath, package: package, "is not valid JSON: \(syntaxError(in: data))",
                      hint: "fix the JSON syntax at that position (an empty file counts as {})")
    }

    /// Foundation's decoder says only that the data is invalid; its serializer knows the byte
    /// offset, which we turn into a line and column a person can jump to.
    private static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "unexpected structure"
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let offset = characterOffset(in: detail) else { return detail }
            let (line, column) = lineAndColumn(of: offset, in: data)
            let reason = detail.components(separatedBy: " around character").first ?? detail
            return "line \(line), column \(column): \(reason)"
        }
    }

    private static func characterOffset(in message: String) -> Int? {
        guard let range = message.range(of: "around character ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// 1-based line and column of a byte offset.
    static func lineAndColumn(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1  // count characters, not UTF-8 continuation bytes
            }
        }
        return (line, column)
    }
}
