/// The `arch` overlay a buildinfo finding suggests, written out as the JSON to paste:
/// `"arch": {"aarch64": {"environment": {"GOARCH": "arm64"}}}`.
enum OverlaySuggestion {
    /// `fields` (path -> value, paths from the top of the buildinfo) nested under `arch.<target>`.
    static func json(target: Architecture, fields: [([String], JSONValue)]) -> String {
        var overlay = JSONValue.object([:])
        for (path, value) in fields {
            overlay = overlay.merging(path.reversed().reduce(value) { inner, key in .object([key: inner]) })
        }
        return "\"arch\": " + inline(.object([target.rawValue: overlay]))
    }

    /// One line of JSON with a space after `:` and `,`, keys sorted: readable in a terminal.
    static func inline(_ value: JSONValue) -> String {
        switch value {
        case .object(let fields):
            "{" + fields.sorted { $0.key < $1.key }.map { "\(CanonicalJSON.string(.string($0.key))): \(inline($0.value))" }
                .joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(inline).joined(separator: ", ") + "]"
        default: CanonicalJSON.string(value)
        }
    }

    /// `text` with each mention of another architecture replaced by the target's own name,
    /// where there is one (`foo-linux-amd64.tar.gz` -> `foo-linux-arm64.tar.gz`).
    static func retargeted(_ text: String, target: Architecture) -> String {
        var result = text
        for mention in ArchMention.foreign(in: text, target: target).reversed() {
            guard let replacement = mention.replacement(for: target) else { continue }
            let start = result.index(result.startIndex, offsetBy: mention.column - 1)
            let end = result.index(start, offsetBy: mention.text.count)
            result.replaceSubrange(start..<end, with: replacement)
        }
        return result
    }

    /// `sources.foo.url`, `arch.aarch64.environment.CC`, `requires[0]`.
    static func fieldName(_ path: [String]) -> String {
        path.enumerated().map { index, key in index == 0 || key.hasPrefix("[") ? key : "." + key }.joined()
    }
}
