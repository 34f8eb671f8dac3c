/// Reading one source entry (`single_source`, or a value of `sources`).
extension BuildInfoReader {
    private static let fieldsByKind: [String: Set<String>] = [
        "url": ["kind", "url", "sha256", "sha1"],
        "url_extract": ["kind", "url", "sha256", "sha1"],
        "git": ["kind", "git", "ref", "ref_origin"],
        "git_local": ["kind", "rel_path"],
    ]

    mutating func source(_ value: JSONValue, _ path: String) -> Source? {
        guard case .object(let fields) = value else {
            typeMismatch(path, expected: #"a source object such as {"kind": "git_local", "rel_path": "src"}"#, found: value)
            return nil
        }
        let kinds = Self.fieldsByKind.keys.sorted()
        var kind: String?
        switch fields["kind"] {
        case .string(let text)? where Self.fieldsByKind[text] != nil: kind = text
        case .string(let text)?:
            problem("\(path).kind", "'\(text)' is not a source kind",
                    hint: Suggestion.hint(for: text, among: kinds) ?? "use one of: \(kinds.joined(separator: ", "))")
            return nil
        case let other?:
            typeMismatch("\(path).kind", expected: "one of \(kinds.joined(separator: ", "))", found: other)
            return nil
        case nil:
            if complete {
                problem(path, "has no 'kind'\(context)", hint: "set \"kind\" to one of: \(kinds.joined(separator: ", "))")
                return nil
            }
        }
        let allowed = kind.flatMap { Self.fieldsByKind[$0] } ?? Set(Self.fieldsByKind.values.joined())
        for key in fields.keys.sorted() where !allowed.contains(key) {
            problem("\(path).\(key)", "is not a field of a\(kind.map { " '\($0)'" } ?? "") source",
                    hint: Suggestion.hint(for: key, among: allowed) ?? "allowed: \(allowed.sorted().joined(separator: ", "))")
        }
        var strings: [String: String] = [:]
        for key in fields.keys.sorted() where allowed.contains(key) && key != "kind" {
            if let text = nonEmptyString(fields[key]!, "\(path).\(key)") { strings[key] = text }
        }
        guard complete, let kind else { return nil }
        switch kind {
        case "url", "url_extract":
            guard let url = required("url", in: strings, path) else { return nil }
            guard let checksum = checksum(strings, path) else { return nil }
            return .url(url: url, checksum: checksum, extract: kind == "url_extract")
        case "git":
            guard let url = required("git", in: strings, path), let ref = required("ref", in: strings, path) else {
                return nil
            }
            guard isHex(ref, lengths: [40, 64]) else {
                problem("\(path).ref", "'\(ref)' is not a full commit hash\(context)",
                        hint: "pin the exact commit (40 hex digits); put the branch name in 'ref_origin'")
                return nil
            }
            return .git(url: url, ref: ref.lowercased(), refOrigin: strings["ref_origin"])
        default:
            guard let relativePath = required("rel_path", in: strings, path) else { return nil }
            return .gitLocal(relativePath: relativePath)
        }
    }

    private mutating func checksum(_ strings: [String: String], _ path: String) -> Checksum? {
        if let hex = strings["sha256"] {
            guard isHex(hex, lengths: [64]) else {
                problem("\(path).sha256", "'\(hex)' is not a SHA-256 digest (64 hex digits)")
                return nil
            }
            return .sha256(hex.lowercased())
        }
        if let hex = strings["sha1"] {
            guard isHex(hex, lengths: [40]) else {
                problem("\(path).sha1", "'\(hex)' is not a SHA-1 digest (40 hex digits)")
                return nil
            }
            return .sha1(hex.lowercased())
        }
        problem(path, "has no checksum\(context)",
                hint: "add \"sha256\" (preferred; `sha256sum FILE` prints it) or the legacy \"sha1\"")
        return nil
    }

    private mutating func required(_ key: String, in strings: [String: String], _ path: String) -> String? {
        if let value = strings[key] { return value }
        problem(path, "has no '\(key)'\(context)")
        return nil
    }

    private func isHex(_ text: String, lengths: Set<Int>) -> Bool {
        lengths.contains(text.count) && text.allSatisfy(\.isHexDigit)
    }
}
