/// A package id, `<name>--[<version_extra>-]<hash>`: the one place one is written and split.
/// A name never contains `--`, `version_extra` never starts with `-` and the hash is hex, so
/// the separator is the first `--` not followed by `-` (a name may end in `-`), and the hash
/// follows the version's last `-`.
public struct PackageID: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var versionExtra: String?
    public var hash: String

    public init(name: String, versionExtra: String?, hash: String) {
        self.name = name
        self.versionExtra = versionExtra
        self.hash = hash
    }

    /// The parts of `text`; nil when it has no `--`, being a name rather than an id.
    public init?(_ text: String) {
        var search = text[...]
        while let separator = search.firstRange(of: "--") {
            let version = text[separator.upperBound...]
            guard version.first == "-" else {
                name = String(text[..<separator.lowerBound])
                if let dash = version.lastIndex(of: "-") {
                    versionExtra = String(version[..<dash])
                    hash = String(version[version.index(after: dash)...])
                } else {
                    versionExtra = nil
                    hash = String(version)
                }
                return
            }
            search = text[text.index(after: separator.lowerBound)...]
        }
        return nil
    }

    public var description: String {
        "\(name)--\(versionExtra.map { "\($0)-" } ?? "")\(hash)"
    }
}
