/// The one rule for symbolic links in an install root, shared by everything that puts files
/// there: a package's output at build time and when imported, the bootstrap while it is
/// written, and `pkgtree install` while it extracts. A link must resolve inside the root
/// whatever else the root holds.
///
/// Absolute targets are refused (they would resolve on whatever host the root is unpacked
/// on). Relative targets may climb with leading `..` no higher than the root, then only
/// descend: a `..` after a name is refused because the name may itself be a symlink (`s -> .`
/// makes `s/..` the root's parent), and which names are symlinks can change after the link is
/// written. Descending through names stays inside because every symlink in the root passed
/// this same rule.
enum SymlinkRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case absolute
    case dotDotAfterName
    case climbsOut

    /// Why a link at `path` (relative to the root, normalised) to `target` is refused, or nil.
    init?(target: String, at path: String) {
        guard !target.isEmpty else { self = .empty; return }
        guard !target.hasPrefix("/") else { self = .absolute; return }
        let parts = EntryPath.components(target)
        let climbs = parts.prefix { $0 == ".." }.count
        guard !parts.dropFirst(climbs).contains("..") else { self = .dotDotAfterName; return }
        guard climbs > EntryPath.components(path).count - 1 else { return nil }
        self = .climbsOut
    }

    /// The target a link at `path` (relative to an install root that lives at `installRoot`)
    /// has once it is installed there, relative, or why it has none. An absolute target inside
    /// `installRoot` (DC/OS packages link into `/opt/mesosphere`) becomes the relative target
    /// that reaches the same place, so the root works wherever it is unpacked.
    static func installedTarget(_ target: String, at path: String, installRoot: String) -> Result<String, SymlinkRefusal> {
        var relative = target
        if target.hasPrefix("/") {
            let root = EntryPath.components(installRoot), parts = EntryPath.components(target)
            guard parts.starts(with: root) else { return .failure(.absolute) }
            let climbs = Array(repeating: "..", count: EntryPath.components(path).count - 1)
            relative = (climbs + parts.dropFirst(root.count)).joined(separator: "/")
            if relative.isEmpty { relative = "." }
        }
        if let refusal = SymlinkRefusal(target: relative, at: path) { return .failure(refusal) }
        return .success(relative)
    }

    /// Why, for a link of an install root at `installRoot`: "… to 'x', which <this>".
    func explanation(installRoot: String) -> String {
        switch self {
        case .empty: "is empty"
        case .absolute: "is outside the install root \(installRoot)"
        case .dotDotAfterName: "has '..' after a name, which could lead anywhere through another link"
        case .climbsOut: "climbs out of the install root \(installRoot)"
        }
    }

    /// How `EntryPath.checkSymlinkTarget` has always said it: "symlink target 'x' <this>".
    var description: String {
        switch self {
        case .empty: "is empty"
        case .absolute: "is absolute"
        case .dotDotAfterName: "has '..' after a name"
        case .climbsOut: "points outside the destination"
        }
    }
}
