import Foundation

/// `pkgtree port`: folds a tree forked for one architecture back into this tree, so that for
/// that architecture this tree builds what the fork builds, and for every other what it built
/// before. Compares every package (and variant) both trees have; plans overlays, shared or
/// per-architecture build scripts and file copies (`PortPlan`), which `PortWriter` writes.
/// Reads both trees offline and writes nothing itself.
public enum TreePort {
    public struct Request: Sendable {
        /// This tree's `packages/` directory.
        public var packages: URL
        /// The fork's `packages/` directory.
        public var fork: URL
        /// The architecture the fork was made for.
        public var target: Architecture
        /// The architecture this tree was written for: its scripts must read as before for it.
        public var base: Architecture

        public init(packages: URL, fork: URL, target: Architecture, base: Architecture) {
            self.packages = packages
            self.fork = fork
            self.target = target
            self.base = base
        }
    }

    public static func plan(_ request: Request) throws(Problems) -> PortPlan {
        guard request.packages.standardizedFileURL.resolvingSymlinksInPath() != request.fork.standardizedFileURL.resolvingSymlinksInPath() else {
            throw Problems([Problem(file: DisplayPath.of(request.fork), field: "--from",
                                    "is this tree itself", hint: "pass the fork's packages directory with --from DIR")])
        }
        let tree = try load(request.packages)
        let fork = try load(request.fork)
        var plan = PortPlan(target: request.target, base: request.base, tree: tree.root, fork: fork.root)
        let here = Set(tree.packages.keys), there = Set(fork.packages.keys)
        plan.compared = here.intersection(there).sorted()
        plan.onlyHere = here.subtracting(there).sorted()
        plan.onlyInFork = there.subtracting(here).sorted()
        for name in plan.compared {
            var package = PortPlan(target: request.target, base: request.base, tree: tree.root, fork: fork.root)
            try fold(name, tree: tree, fork: fork, request: request, into: &package)
            plan.changes += package.changes.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
            plan.edits += package.edits
            plan.overlaysWritten += package.overlaysWritten
            plan.scriptsUnified += package.scriptsUnified
            plan.scriptsPerArchitecture += package.scriptsPerArchitecture
        }
        for name in plan.onlyInFork {
            plan.changes.append(PortChange(file: DisplayPath.of(fork.root.child(name)), line: 0, column: 0, package: name, kind: .package,
                                           message: "only the fork has this package; copy it into this tree with \"architectures\": [\"\(request.target)\"]",
                                           folded: false))
        }
        plan.changes += treeInfoChanges(tree, fork)
        return plan
    }

    private static func load(_ root: URL) throws(Problems) -> PackageTree {
        let tree = try TreeLoader.load(root)
        if !tree.problems.isEmpty { throw Problems(tree.problems) }
        return tree
    }

    private static func fold(_ name: String, tree: PackageTree, fork: PackageTree, request: Request,
                             into plan: inout PortPlan) throws(Problems) {
        let ours = tree.packages[name]!, theirs = fork.packages[name]!
        let variants = Set(ours.keys).union(theirs.keys).sorted { ($0 ?? "") < ($1 ?? "") }
        var scripts: [String: String] = [:]
        var scriptPaths: Set<String> = []
        for variant in variants {
            guard let original = ours[variant], let forked = theirs[variant] else {
                let definition = ours[variant] ?? theirs[variant]!
                plan.changes.append(PortChange(file: definition.file, line: 0, column: 0, package: name, kind: .variant,
                                               message: "only \(ours[variant] == nil ? "the fork" : "this tree") has \(definition.displayName); not folded",
                                               folded: false))
                continue
            }
            let port = VariantPort(original: original, fork: forked, target: request.target, base: request.base,
                                   knownPackages: Set(tree.packages.keys))
            let outcome = try port.fold(scripts: &scripts)
            plan.changes += outcome.changes
            plan.edits += outcome.edits
            plan.overlaysWritten += outcome.overlayWritten ? 1 : 0
            plan.scriptsUnified += outcome.unified ? 1 : 0
            plan.scriptsPerArchitecture += outcome.perArchitecture ? 1 : 0
            scriptPaths.formUnion(scriptNames(original) + scriptNames(forked))
        }
        scriptPaths.formUnion(scripts.keys)
        let files = PackageFilesPort(package: name, ours: tree.packages[name]!.values.first!.directory,
                                     theirs: fork.packages[name]!.values.first!.directory, target: request.target, scripts: scriptPaths)
        let (changes, edits) = try files.fold()
        plan.changes += changes
        plan.edits += edits
    }

    /// Every build script a definition may run, for any architecture.
    private static func scriptNames(_ definition: PackageDefinition) -> [String] {
        let overlays = definition.overlays.values.compactMap { $0["build_script"]?.stringValue }
        return overlays + [definition.base["build_script"]?.stringValue].compactMap { $0 }
    }

    /// Tree variants are not folded: a differing treeinfo is listed.
    private static func treeInfoChanges(_ tree: PackageTree, _ fork: PackageTree) -> [PortChange] {
        let variants = Set(tree.treeVariants.keys).union(fork.treeVariants.keys).sorted { ($0 ?? "") < ($1 ?? "") }
        return variants.compactMap { variant in
            let ours = tree.treeVariants[variant], theirs = fork.treeVariants[variant]
            guard ours != theirs else { return nil }
            let file = (variant.map { "\($0)." } ?? "") + TreeLoader.treeInfoSuffix
            return PortChange(file: DisplayPath.of(tree.root.child(file)), line: 0, column: 0, package: nil, kind: .treeinfo,
                              message: ours == nil || theirs == nil ? "only \(ours == nil ? "the fork" : "this tree") has this tree variant; not folded"
                                  : "differs from the fork's; tree variants are not folded, compare them by hand",
                              folded: false)
        }
    }
}
