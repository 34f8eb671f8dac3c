import Foundation

/// Holds a bootstrap to what `pkgtree install` accepts while it is being written, so pkgtree
/// never writes one that its own `install` refuses: every entry counts against the limits
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

    /// Admits the entry at `path` of `package`; returns the target to write for a link.
    mutating func admit(_ path: String, _ info: ArchiveEntryInfo, of package: BootstrapPackage) throws -> String? {
        let installed = "packages/\(package.id)/\(path)"
        try count(installed, size: info.kind == .file ? info.size : nil, package)
        guard info.kind == .symlink, let target = info.linkTarget else { return nil }
        switch SymlinkRefusal.installedTarget(target, at: installed, installRoot: installRoot) {
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
            case .file(let path, let data):
                tree.add(path, .file, contents: data)
                size = Int64(data.count)
            }
            try count(entry.path, size: size, nil)
        }
        let byID = Dictionary(packages.map { ($0.package.id, $0.package) }, uniquingKeysWith: { first, _ in first })
        let problems = ActivationCheck.run(tree).problems.map { finding in
            let owner = Self.packageID(reachedFrom: finding.path, in: tree).flatMap { byID[$0] }
            let text = "\(finding) once installed; `pkgtree install` would refuse it"
            return owner.map { problem($0, text) } ?? Problem("cannot make the bootstrap: \(text)")
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
            throw Problems([package.map { problem($0, text, hint: hint) } ?? Problem("cannot make the bootstrap: \(text)", hint: hint)])
        }
    }

    private func problem(_ package: BootstrapPackage, _ text: String,
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
