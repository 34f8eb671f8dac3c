/// Readers for the scalar and map fields of a buildinfo, each reporting a wrong type.
extension BuildInfoReader {
    mutating func problem(_ field: String, _ message: String, hint: String? = nil) {
        problems.append(Problem(file: file, package: package, field: field, message, hint: hint))
    }

    mutating func typeMismatch(_ field: String, expected: String, found: JSONValue) {
        problem(field, "expected \(expected), found \(found.typeName)")
    }

    mutating func bool(_ value: JSONValue, _ path: String) -> Bool? {
        if case .bool(let flag) = value { return flag }
        typeMismatch(path, expected: "true or false", found: value)
        return nil
    }

    mutating func nonEmptyString(_ value: JSONValue, _ path: String) -> String? {
        guard case .string(let text) = value else {
            typeMismatch(path, expected: "a string", found: value)
            return nil
        }
        if text.isEmpty {
            problem(path, "is empty")
            return nil
        }
        return text
    }

    /// A builder image reference: checked here, so that a typo fails `plan`, not a build.
    mutating func imageReference(_ value: JSONValue, _ path: String) -> String? {
        guard let text = nonEmptyString(value, path) else { return nil }
        do {
            _ = try ImageReference(parsing: text)
        } catch {
            problem(path, "'\(text)' is not an image reference: it \(error.reason)", hint: ImageReference.form)
            return nil
        }
        return text
    }

    mutating func stringMap(_ value: JSONValue, _ path: String) -> [String: String] {
        guard case .object(let fields) = value else {
            typeMismatch(path, expected: "an object of strings", found: value)
            return [:]
        }
        var result: [String: String] = [:]
        for (key, item) in fields {
            guard case .string(let text) = item else {
                typeMismatch("\(path).\(key)", expected: "a string", found: item)
                continue
            }
            result[key] = text
        }
        return result
    }

    /// A path inside the package directory (for `build_script`) or its output (`setuid_files`).
    mutating func relativePath(_ value: JSONValue, _ path: String,
                               example: String = "\"build\" or \"scripts/build.sh\"") -> String? {
        guard let text = nonEmptyString(value, path) else { return nil }
        if text.hasPrefix("/") || text.split(separator: "/").contains("..") {
            problem(path, "'\(text)' must be a path inside the package directory",
                    hint: "give a relative path without '..', such as \(example)")
            return nil
        }
        return text
    }

    mutating func username(_ value: JSONValue, _ path: String) -> String? {
        guard let text = nonEmptyString(value, path) else { return nil }
        if let reason = UserNames.usernameProblem(text) {
            problem(path, reason, hint: "a package's user is named dcos_<name> with lowercase letters, digits and '_' after it, such as \"dcos_mesos\"")
            return nil
        }
        return text
    }

    mutating func group(_ value: JSONValue, _ path: String) -> String? {
        guard case .string(let text) = value else {
            typeMismatch(path, expected: "a string", found: value)
            return nil
        }
        if let reason = UserNames.groupProblem(text) {
            problem(path, reason, hint: "use lowercase letters, digits, '_' and '-', starting with a letter or '_', such as \"dcos_group\"")
            return nil
        }
        return text
    }

    /// `setuid_files`: paths relative to the package's output that may keep a setuid or
    /// setgid bit, normalized (no `./`, no repeated or trailing `/`) and sorted.
    mutating func setuidFiles(_ value: JSONValue, _ path: String) -> [String] {
        guard case .array(let items) = value else {
            typeMismatch(path, expected: "a list of paths inside the package", found: value)
            return []
        }
        var result: Set<String> = []
        for (index, item) in items.enumerated() {
            guard let text = relativePath(item, "\(path)[\(index)]", example: "\"bin/tool\"") else { continue }
            let normalized = text.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            if normalized.isEmpty {
                problem("\(path)[\(index)]", "'\(text)' names the package itself, not a file",
                        hint: "give the file's path relative to $PKG_PATH, such as \"bin/tool\"")
                continue
            }
            result.insert(normalized)
        }
        return result.sorted()
    }

    mutating func sysctl(_ value: JSONValue, _ path: String) -> [String: [String: JSONValue]] {
        guard case .object(let services) = value else {
            typeMismatch(path, expected: "an object of service name -> {sysctl key: value}", found: value)
            return [:]
        }
        var result: [String: [String: JSONValue]] = [:]
        for (service, settings) in services {
            guard case .object(let keys) = settings else {
                typeMismatch("\(path).\(service)", expected: "an object of sysctl key -> value", found: settings)
                continue
            }
            for (key, setting) in keys {
                switch setting {
                case .string, .int, .double: break
                default: typeMismatch("\(path).\(service).\(key)", expected: "a number or a string", found: setting)
                }
            }
            result[service] = keys
        }
        return result
    }

    mutating func versionExtra(_ value: JSONValue, _ path: String) -> String? {
        guard let text = nonEmptyString(value, path) else { return nil }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._+:~-")
        if !text.allSatisfy(allowed.contains) || text.contains("--") || text.hasPrefix("-") || text.hasSuffix("-") {
            problem(path, "'\(text)' cannot be part of a package id",
                    hint: "use letters, digits and @ . _ + : ~ -, without '--' and not starting or ending with '-'")
            return nil
        }
        return text
    }

    mutating func architectures(_ value: JSONValue, _ path: String) -> [Architecture]? {
        guard case .array(let items) = value, !items.isEmpty else {
            problem(path, "expected a non-empty list of architectures, found \(value.typeName)",
                    hint: "for example [\"x86_64\"]; accepted: \(Architecture.acceptedNames)")
            return nil
        }
        var result: [Architecture] = []
        for (index, item) in items.enumerated() {
            guard let arch = architecture(item, "\(path)[\(index)]") else { continue }
            if !result.contains(arch) { result.append(arch) }
        }
        return result.sorted()
    }

    mutating func architecture(_ value: JSONValue, _ path: String) -> Architecture? {
        guard case .string(let name) = value else {
            typeMismatch(path, expected: "an architecture name", found: value)
            return nil
        }
        guard let arch = Architecture(name: name) else {
            problem(path, "'\(name)' is not a known architecture",
                    hint: Suggestion.hint(for: name, among: Architecture.allCases.map(\.rawValue))
                        ?? "accepted: \(Architecture.acceptedNames)")
            return nil
        }
        return arch
    }
}
