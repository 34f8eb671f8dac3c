import Foundation

/// One difference between this tree and a fork, and what `pkgtree port` does with it.
public struct PortChange: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A value of the target's `arch` overlay.
        case overlay
        /// The `architectures` list gains or loses the target.
        case architectures
        /// Build script names written as `PKG_*` variables (or port names).
        case scriptUnified = "script-unified"
        /// A build script kept per architecture.
        case scriptPerArchitecture = "script-per-arch"
        /// The buildinfo could not be folded in full.
        case buildinfo
        case extra, docker
        /// Other files of the package directory (sources kept in the tree, patches).
        case packageFiles = "package-files"
        /// A package variant only one tree has.
        case variant
        /// A package only the fork has.
        case package
        case treeinfo
    }

    /// This tree's file (or directory), as shown in messages.
    public var file: String
    /// 1-based; 0 when the change is about the file or directory as a whole.
    public var line: Int
    public var column: Int
    public var package: String?
    public var kind: Kind
    public var message: String
    /// False: not folded, a person has to review it.
    public var folded: Bool
}

/// What `pkgtree port` found and would do: the changes, in tree order, and the file edits that
/// `--write` applies.
public struct PortPlan: Sendable {
    public var target: Architecture
    public var base: Architecture
    public var tree: URL
    public var fork: URL
    public var changes: [PortChange] = []
    /// Packages both trees have.
    public var compared: [String] = []
    public var onlyHere: [String] = []
    public var onlyInFork: [String] = []
    public var overlaysWritten = 0
    public var scriptsUnified = 0
    public var scriptsPerArchitecture = 0
    var edits: [PortEdit] = []

    /// Packages with changes, all of them folded.
    public var packagesFolded: Int {
        Set(changes.compactMap(\.package)).subtracting(packagesToReview).count
    }

    /// Packages with a change a person has to review.
    public var packagesToReview: Set<String> {
        Set(changes.filter { !$0.folded }.compactMap(\.package))
    }

    public var needsReview: Bool { changes.contains { !$0.folded } }

    /// The files and directories `--write` writes.
    public var writes: [String] { edits.map { DisplayPath.of($0.destination) } }
}

/// One write into this tree.
enum PortEdit: Sendable {
    case write(URL, Data, permissions: UInt32?)
    case copyFile(from: URL, to: URL)
    /// Replaces `to` (if it exists) by a copy of the directory `from`.
    case copyDirectory(from: URL, to: URL)

    var destination: URL {
        switch self {
        case .write(let url, _, _), .copyFile(_, let url), .copyDirectory(_, let url): url
        }
    }
}
