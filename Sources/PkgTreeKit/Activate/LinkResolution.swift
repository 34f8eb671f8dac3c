/// Where a path of an install root leads once every symbolic link on the way is followed,
/// as `realpath(3)` would find it, but confined to the root: an absolute target, or `..` above
/// the root, leads outside it. Works on any `InstallTree`, so an extracted root and a bootstrap
/// still being written are judged by one rule.
enum LinkResolution: Equatable {
    /// The resolved path, relative to the root ("" is the root itself).
    case inside(String)
    /// The link at `link` has `target`, which leaves the root.
    case outside(link: String, target: String)
    /// Nothing is where the path leads (or a file is used as a directory).
    case dangling
    /// More links than `realpath` follows (40): a loop.
    case loop

    static let maxLinks = 40

    static func resolve(_ path: String, in tree: some InstallTree) -> LinkResolution {
        var pending = Array(EntryPath.components(path).reversed())
        var resolved: [String] = []
        var followed = 0
        var lastLink = (path: path, target: path)
        while let name = pending.popLast() {
            if name == ".." {
                guard resolved.popLast() != nil else { return .outside(link: lastLink.path, target: lastLink.target) }
                continue
            }
            let candidate = (resolved + [name]).joined(separator: "/")
            switch tree.node(candidate) {
            case nil:
                return .dangling
            case .file? where !pending.isEmpty:
                return .dangling
            case .symlink(let target)?:
                followed += 1
                if followed > maxLinks { return .loop }
                if target.hasPrefix("/") || target.isEmpty { return .outside(link: candidate, target: target) }
                lastLink = (candidate, target)
                pending += EntryPath.components(target).reversed()
            case .directory?, .file?:
                resolved.append(name)
            }
        }
        return .inside(resolved.joined(separator: "/"))
    }
}
