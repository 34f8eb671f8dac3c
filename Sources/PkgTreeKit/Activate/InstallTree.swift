import Foundation

/// An install root as `ActivationCheck` reads it, paths relative to the root ("" is the root
/// itself): an extracted root on disk (`pkgtree install`), or the entries of a bootstrap being
/// written, so the bootstrap is held to exactly the check `install` will make.
protocol InstallTree {
    /// What is at `path` itself, a symlink not followed; nil when nothing is.
    func node(_ path: String) -> InstallTreeNode?
    /// The names in the directory `path`, sorted; empty when it is not a directory.
    func children(_ path: String) -> [String]
    /// The bytes of the file at `path`, nil when it is not a readable file.
    func contents(_ path: String) -> Data?
}

enum InstallTreeNode: Sendable, Equatable {
    case directory
    case file
    case symlink(target: String)
}

/// An install root on disk.
struct DiskInstallTree: InstallTree {
    var root: URL

    func node(_ path: String) -> InstallTreeNode? {
        let url = url(path)
        switch FileStatus.of(url.path)?.kind {
        case .directory?: return .directory
        case .symlink?: return .symlink(target: (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "")
        case nil: return nil
        default: return .file
        }
    }

    func children(_ path: String) -> [String] {
        guard node(path) == .directory else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: url(path).path)) ?? []).sorted()
    }

    func contents(_ path: String) -> Data? {
        node(path) == .file ? try? Data(contentsOf: url(path)) : nil
    }

    private func url(_ path: String) -> URL {
        path.isEmpty ? root : root.child(path)
    }
}

/// An install root known only by the entries that will make it, such as a bootstrap's.
struct EntryInstallTree: InstallTree {
    private var nodes: [String: InstallTreeNode] = ["": .directory]
    private var names: [String: Set<String>] = [:]
    private var data: [String: Data] = [:]

    /// Adds the entry at `path` (normalised, relative); a later entry at the same path replaces
    /// it, as extracting would. `contents` is kept for files that must be read back.
    mutating func add(_ path: String, _ node: InstallTreeNode, contents: Data? = nil) {
        nodes[path] = node
        if let contents { data[path] = contents }
        var child = path
        for parent in EntryPath.parents(path).reversed() + [""] {
            names[parent, default: []].insert(String(child.split(separator: "/").last ?? ""))
            if nodes[parent] == nil { nodes[parent] = .directory }
            child = parent
        }
    }

    func node(_ path: String) -> InstallTreeNode? { nodes[path] }

    func children(_ path: String) -> [String] {
        nodes[path] == .directory ? (names[path] ?? []).sorted() : []
    }

    func contents(_ path: String) -> Data? { data[path] }
}
