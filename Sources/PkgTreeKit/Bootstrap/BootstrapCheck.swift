import Foundation

/// Holds a bootstrap to what `pkgtree install` accepts before it is written (from its
/// fragments' listings; as it is written, for one compressed anew), so pkgtree never writes
/// one that its own `install` refuses: every entry counts against the limits
/// extraction applies (`ExtractBudget`), each package link passes the extraction rule
/// (`SymlinkRefusal`; an absolute link under the install root is written as the relative
/// link that reaches the same place), and the whole root passes `ActivationCheck`, run on the
/// entries instead of an extracted copy. Every refusal names the package and its file.
struct BootstrapCheck {
    var installRoot: String
    private var budget: ExtractBudget

    /// `limits`: what `pkgtree install` extracts at most (its default).
    init(installRoot: String, bootstrap: URL, limits: ExtractLimits = .default) {
        self.installRoot = installRoot
        budget = ExtractBudget(limits, archive: bootstrap.lastPathComponent)
    }

    /// Admits every entry of `package` (as `copyEntries` reported them, from its artifact or
    /// from its fragment's listing): each counts against the limits, and each link is held to
    /// the extraction rule again.
    mutating func admit(_ copied: CopiedEntries, of package: BootstrapPackage) throws {
        for (path, _) in copied.paths {
            try count("packages/\(package.id)/\(path)", size: copied.fileSizes[path], package)
            if let target = copied.links[path] {
                _ = try Self.installedTarget(target, at: path, of: package, installRoot: installRoot)
            }
        }
    }

    /// The target to write for a link at `path` of `package` to `target`: the relative link
    /// that reaches the same place once installed (see `SymlinkRefusal.installedTarget`).
    /// Throws, naming the package and its file, when `pkgtree install` would refuse it.
    static func installedTarget(_ target: String, at path: String, of package: BootstrapPackage,
                                installRoot: String) throws -> String {
        switch SymlinkRefusal.installedTarget(target, at: "packages/\(package.id)/\(path)", installRoot: installRoot) {
        case .success(let relative):
            return relative
        case .failure(let refusal):
            throw Problems([problem(package, "\(path) is a symbolic link to '\(target)', which \(refusal.explanation(installRoot: installRoot)); `pkgtree install` would refuse it")])
        }
    }

    /// Runs `ActivationCheck` on the root that `packages` and `rootEntries` make, counting
    /// what the packages' entries did not.
    mutating func requireActivatable(_ packages: [StreamedPackage], rootEntries: [Activation.Entry]) throws {
        var tree = EntryInstallTree()
        try count("packages", size: nil, nil)
        for streamed in packages {
            let prefix = "packages/\(streamed.package.id)"
            try count(prefix, size: nil, streamed.package)
            tree.add(prefix, .directory)
            for (path, isDirectory) in streamed.copied.paths {
                let node: InstallTreeNode = isDirectory ? .directory
                    : streamed.copied.links[path].map { .symlink(target: $0) } ?? .file
                tree.add("\(prefix)/\(path)", node)
            }
        }
        for entry in rootEntries {
            var size: Int64?
            switch entry {
            case .directory(let path): tree.add(path, .directory)
            case .symlink(let path, let target): tree.add(path, .symlink(target: target))
            case .file(let path, let contents):
                tree.add(path, .file, contents: contents.data)
                size = Int64(contents.count)
            }
            try count(entry.path, size: size, nil)
        }
        let byID = Dictionary(packages.map { ($0.package.id, $0.package) }, uniquingKeysWith: { first, _ in first })
        let problems = ActivationCheck.run(tree).problems.map { finding in
            let owner = Self.packageID(reachedFrom: finding.path, in: tree).flatMap { byID[$0] }
            let text = "\(finding) once installed; `pkgtree install` would refuse it"
            return owner.map { Self.problem($0, text) } ?? Problem("cannot make the bootstrap: \(text)")
        }
        if !problems.isEmpty { throw Problems(problems) }
    }

    /// One more entry (of `size` bytes, for a file) against extraction's limits.
    private mutating func count(_ path: String, size: Int64?, _ package: BootstrapPackage?) throws {
        do {
            try budget.enter(path)
            if let size { try budget.declare(size, path) }
        } catch let error as ArchiveError where error.kind == .limitExceeded {
            let text = "at \(path), \(error.message): more than `pkgtree install` extracts"
            let hint = "put fewer packages (or smaller ones) in the tree variant's bootstrap_package_list"
            throw Problems([package.map { Self.problem($0, text, hint: hint) } ?? Problem("cannot make the bootstrap: \(text)", hint: hint)])
        }
    }

    private static func problem(_ package: BootstrapPackage, _ text: String,
                         hint: String? = nil) -> Problem {
        Problem(file: DisplayPath.of(package.artifact), package: package.name, "cannot make the bootstrap: \(text)",
                hint: hint ?? "fix the link in \(package.name)'s build script and build it again")
    }

    /// The package a path of the root belongs to: `packages/<id>/…`, or a link into one.
    private static func packageID(reachedFrom path: String, in tree: EntryInstallTree) -> String? {
        var parts = EntryPath.components(path)
        if case .symlink(let target)? = tree.node(path) { parts = EntryPath.components(target).filter { $0 != ".." } }
        guard parts.count >= 2, parts[0] == "packages" else { return nil }
        return parts[1]
    }
}
