/// The OCI distribution spec's rules for names, which every registry enforces: a repository is
/// `/`-separated components of lowercase letters and digits joined by single `.`, `_` or `-`
/// (`[a-z0-9]+([._-][a-z0-9]+)*`, the strictest form all registries accept), and a tag is
/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
public enum OCIName {
    /// Why `component` cannot be a repository path component, or nil when it can.
    static func invalidComponentReason(_ component: String) -> String? {
        if component.isEmpty { return "has an empty path component" }
        var previousWasSeparator = true
        for character in component {
            if character.isLowercaseASCIIAlphanumeric {
                previousWasSeparator = false
            } else if ".-_".contains(character) {
                if previousWasSeparator { return "'\(component)' has '\(character)' where a letter or digit must come" }
                previousWasSeparator = true
            } else {
                return "'\(component)' contains '\(character)'; repository names use lowercase letters, digits and single . _ - between them"
            }
        }
        return previousWasSeparator ? "'\(component)' ends with a separator" : nil
    }

    /// Why `name` (`a/b/c`) cannot be a repository name, or nil when it can.
    static func invalidRepositoryReason(_ name: String) -> String? {
        if name.utf8.count > 255 { return "is longer than 255 characters" }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if let reason = invalidComponentReason(String(component)) { return reason }
        }
        return nil
    }

    /// Whether `text` is `HOST` or `HOST:PORT`, as registries are named in image references,
    /// login files and certificate directories.
    static func isRegistryHost(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let name = parts.first, !name.isEmpty,
              name.allSatisfy({ $0.isASCIIAlphanumeric || ".-".contains($0) }) else { return false }
        guard parts.count == 2 else { return true }
        return UInt16(parts[1]).map { $0 > 0 } ?? false
    }

    static let maximumTagLength = 128

    static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.utf8.count <= maximumTagLength,
              first.isASCIIAlphanumeric || first == "_" else { return false }
        return tag.allSatisfy { $0.isASCIIAlphanumeric || "_.-".contains($0) }
    }
}

extension Character {
    var isLowercaseASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }

    var isASCIIAlphanumeric: Bool {
        isLowercaseASCIIAlphanumeric || ("A"..."Z").contains(self)
    }
}
