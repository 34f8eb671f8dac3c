import Foundation

/// Reads the JSON files of a tree. An empty file (or one of only whitespace) is `{}`, as in
/// pkgpanda; malformed JSON is reported with its line and column.
enum JSONFile {
    /// The largest JSON file of a tree that is read. Real buildinfo files are a few KiB; the
    /// bound keeps a stray multi-gigabyte file from being read into memory (and parsed at
    /// twice its size) before it can be reported.
    static let maxBytes: Int64 = 16 << 20

    static func read(_ url: URL, displayPath: String, package: String? = nil) throws(Problem) -> JSONValue {
        func problem(_ message: String, hint: String) -> Problem {
            Problem(file: displayPath, package: package, message, hint: hint)
        }
        // Checked first: Foundation reads a FIFO until it ends (never), and says only
        // "permission" or "error 256" for a FIFO or a directory.
        guard let status = FileStatus.of(url.path, followingSymlinks: true) else {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)).map { " (a symbolic link to '\($0)')" }
            throw problem("cannot be read: it does not exist\(target ?? "")", hint: "replace it with the file itself")
        }
        guard status.kind == .regular else {
            throw problem("is \(status.kind), not a file", hint: "replace it with a file holding a JSON object")
        }
        guard status.size <= maxBytes else {
            throw problem("is \(status.size) bytes, more than the \(maxBytes >> 20) MiB a JSON file of a tree may have",
                          hint: "check that this is the right file; a buildinfo or treeinfo file is a few KiB")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw problem("cannot be read: \(SystemError.reason(error))", hint: "check the file's permissions")
        }
        return try parse(data, displayPath: displayPath, package: package)
    }

    static func parse(_ data: Data, displayPath: String, package: String? = nil) throws(Problem) -> JSONValue {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .object([:])
        }
        if let value = try? JSONDecoder().decode(JSONValue.self, from: data) {
            if let duplicate = JSONDuplicateKeys.first(in: data) {
                let (line, column) = lineAndColumn(of: duplicate.offset, in: data)
                throw Problem(file: displayPath, package: package, field: duplicate.field,
                              "appears twice in one object (again at line \(line), column \(column)); JSON readers disagree on "
                                  + "which one counts (pkgpanda took the last)",
                              hint: "keep one '\(duplicate.field)' and merge the two values into it")
            }
            return value
        }
        let error = syntaxError(in: data)
        throw Problem(file: displayPath, package: package, "is not valid JSON: \(error)",
                      hint: error.contains("UTF-8") ? "save the file as UTF-8, the only encoding JSON files of a tree may have"
                          : "fix the JSON syntax at that position (an empty file counts as {})")
    }

    /// Foundation's decoder says only that the data is invalid; its serializer knows the byte
    /// offset ("around character 41", "starting from character 23"; the end, for a file cut
    /// short), which we turn into a line and column a person can jump to.
    private static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "unexpected structure"
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let located = characterOffset(in: detail)
                ?? (detail.localizedCaseInsensitiveContains("end of file") ? (data.count, detail) : nil)
            guard let (offset, reason) = located else { return detail }
            let (line, column) = lineAndColumn(of: offset, in: data)
            return "line \(line), column \(column): \(reason)"
        }
    }

    /// The offset in a message such as "Invalid value around character 41.", and the message without it.
    private static func characterOffset(in message: String) -> (Int, String)? {
        for marker in [" around character ", " starting from character "] {
            guard let range = message.range(of: marker) else { continue }
            guard let offset = Int(message[range.upperBound...].prefix { $0.isNumber }) else { return nil }
            return (offset, String(message[..<range.lowerBound]))
        }
        return nil
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
