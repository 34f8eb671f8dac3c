import Foundation

/// Holds a bootstrap to what `pkgtree install` accepts while it is being written, so pkgtree
/// never writes one that its own `install` refuses: each package's links pass the extraction
/// rule (`SymlinkRefusal`; an absolute link under the install root is written as the relative
/// link that reaches the same place), and the whole root passes `ActivationCheck`, run on the
/// entries instead of an extracted copy. Every refusal names the package and its file.
struct BootstrapCheck {
    var installRoot: String

    /// The target to write for the link at `path` of `package`, or a problem naming both.
    func linkTarget(_ target: String, at path: String, of package: BootstrapPackage) throws -> String {
        switch SymlinkRefusal.installedTarget(target, at: "packages/\(package.id)/\(path)", installRoot: installRoot) {
        case .success(let relative):
            return relative
        case .failure(let refusal):
            throw Problems([problem(package, "\(path) is a symbolic link to '\(target)', which \(refusal.explanation(installRoot: installRoot)); `pkgtree install` would refuse it")])
        }
    }

    /// Runs `ActivationCheck` on the root that `packages` and `rootEntries` make.
    func requireActivatable(_ packages: [StreamedPackage], rootEntries: [BootstrapRootEntries.Entry]) throws(Problems) {
        var tree = EntryInstallTree()
        for streamed in packages {
            let prefix = "packages/\(streamed.package.id)"
            tree.add(prefix, .directory)
            for (path, isDirectory) in streamed.copied.paths {
                let node: InstallTreeNode = isDirectory ? .directory
                    : streamed.copied.links[path].map { .symlink(target: $0) } ?? .file
                tree.add("\(prefix)/\(path)", node)
            }
        }
        for entry in rootEntries {
            switch entry {
            case .directory(let path): tree.add(path, .directory)
            case .symlink(let path, let target): tree.add(path, .symlink(target: target))
            case .file(let path, let data): tree.add(path, .file, contents: data)
            }
        }
        let byID = Dictionary(packages.map { ($0.package.id, $0.package) }, uniquingKeysWith: { first, _ in first })
        let problems = ActivationCheck.run(tree).problems.map { finding in
            let owner = Self.packageID(reachedFrom: finding.path, in: tree).flatMap { byID[$0] }
            let text = "\(finding) once installed; `pkgtree install` would refuse it"
            return owner.map { problem($0, text) } ?? Problem("cannot make the bootstrap: \(text)")
        }
        if !problems.isEmpty { throw Problems(problems) }
    }

    private func problem(_ package: BootstrapPackage, _ text: String) -> Problem {
        Problem(file: DisplayPath.of(package.artifact), package: package.name, "cannot make the bootstrap: \(text)",
                hint: "fix the link in \(package.name)'s build script and build it again")
    }

    /// The package a path of the root belongs to: `packages/<id>/…`, or a link into one.
    private static func packageID(reachedFrom path: String, in tree: EntryInstallTree) -> String? {
        var parts = EntryPath.components(path)
        if case .symlink(let target)? = tree.node(path) { parts = EntryPath.components(target).filter { $0 != ".." } }
        guard parts.count >= 2, parts[0] == "packages" else { return nil }
        return parts[1]
    }
}
