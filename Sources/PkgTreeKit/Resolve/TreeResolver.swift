import Foundation

/// Resolves a loaded tree into a build plan for one architecture and tree variant: selects
/// the packages, checks requirements, orders them, and computes their ids. Every problem of
/// the tree is reported at once.
public enum TreeResolver {
    public struct Request: Sendable {
        public var arch: Architecture
        public var treeVariant: String?
        /// Only these packages and what they require; empty means the whole tree variant.
        public var packages: [String]
        /// The machine's architecture, whose builder runs `"cross": true` builds.
        public var hostArch: Architecture
        /// Remembers file digests by stat data, so unchanged inputs are not read again (the
        /// planner sets the cache's stat cache here).
        var digestCache: (any FileDigestCache)?

        public init(arch: Architecture, treeVariant: String? = nil, packages: [String] = [],
                    hostArch: Architecture = .host) {
            self.arch = arch
            self.treeVariant = treeVariant
            self.packages = packages
            self.hostArch = hostArch
        }
    }

    public static func plan(_ tree: PackageTree, _ request: Request) throws(Problems) -> BuildPlan {
        var selection = try TreeSelection(tree: tree, treeVariant: request.treeVariant, arch: request.arch)
        let treeInfo = selection.treeInfo
        let variantSet = selection.include(selection.startNames,
                                           from: treeInfo.corePackageList == nil ? "packages" : "core_package_list")
        let bootstrapSet = treeInfo.bootstrapPackageList.map { selection.include($0, from: "bootstrap_package_list") } ?? variantSet
        var problems = ProblemCollector()
        problems.add(contentsOf: tree.problems)
        problems.add(contentsOf: selection.problems.problems)
        for name in bootstrapSet.subtracting(variantSet).sorted() {
            problems.add(Problem(file: selection.treeInfoFile, package: name, field: "bootstrap_package_list",
                                 "is in the bootstrap but not in the tree variant's packages",
                                 hint: "add it to 'core_package_list', or remove it from 'bootstrap_package_list'"))
        }
        var wanted = variantSet
        if !request.packages.isEmpty {
            for name in request.packages where tree.packages[name] != nil && !variantSet.contains(name) {
                problems.add(Problem(file: selection.treeInfoFile, package: name, field: "core_package_list",
                                     "is not part of this tree variant",
                                     hint: "add it to 'core_package_list' (or drop it from 'exclude'), or pick another --variant"))
            }
            wanted = selection.include(request.packages, from: "PKG argument", fromCommandLine: true).intersection(variantSet)
            problems.add(contentsOf: selection.problems.problems)
        }
        let members = selection.members.filter { wanted.contains($0.key) }
        // Requirements that failed their checks were reported; order what is left.
        let requires = members.mapValues { $0.buildInfo.requires.map(\.name).filter { members[$0] != nil } }
        let ordering = DependencyOrder(requires)
        for cycle in ordering.cycles {
            problems.add(Problem(file: members[cycle[0]]?.definition.file, package: cycle[0], field: "requires",
                                 "dependency cycle: \(DependencyOrder.describe(cycle))",
                                 hint: "remove one of these requirements; a package cannot require itself through others"))
        }
        try problems.throwIfAny()
        return try assemble(members: members, order: ordering.order, treeInfo: treeInfo, request: request,
                            bootstrap: bootstrapSet, warnings: tree.warnings)
    }

    /// Splits off what cannot be built for the architecture, then computes inputs and ids.
    private static func assemble(members: [String: TreeSelection.Member], order: [String], treeInfo: TreeInfo,
                                 request: Request, bootstrap: Set<String>, warnings: [Problem]) throws(Problems) -> BuildPlan {
        var unsupported: [Unbuildable] = []
        var skipped: [Unbuildable] = []
        var blockedBy: [String: String] = [:]  // package -> the unsupported package it needs
        var buildable: [String] = []
        for name in order {
            let member = members[name]!
            let variant = member.definition.variant
            if !member.buildInfo.supports(request.arch) {
                let supported = (member.buildInfo.architectures ?? []).map(\.rawValue).joined(separator: ", ")
                unsupported.append(Unbuildable(name: name, variant: variant, requires: member.buildInfo.requires.map(\.name),
                                               reason: "unsupported on \(request.arch) (architectures: \(supported))"))
                blockedBy[name] = name
            } else if let blocker = member.buildInfo.requires.lazy.compactMap({ blockedBy[$0.name] }).first {
                skipped.append(Unbuildable(name: name, variant: variant, requires: member.buildInfo.requires.map(\.name),
                                           reason: "requires \(blocker), which is unsupported on \(request.arch)"))
                blockedBy[name] = blocker
            } else {
                buildable.append(name)
            }
        }
        let context = PackageInputs.Context(arch: request.arch, hostArch: request.hostArch,
                                            installRoot: treeInfo.installRoot, defaultBuilder: treeInfo.defaultBuilder,
                                            digestCache: request.digestCache)
        let inputs = ParallelMap.map(buildable.map { members[$0]! }) { PackageInputs.compute($0, context) }
        var problems = ProblemCollector()
        for case .failure(let failure) in inputs { problems.add(contentsOf: failure.all) }
        try problems.throwIfAny()
        let position = Dictionary(uniqueKeysWithValues: buildable.enumerated().map { ($1, $0) })
        let nodes = zip(buildable, inputs).map { name, result in
            PackageIDs.Node(name: name, versionExtra: members[name]!.buildInfo.versionExtra,
                            inputs: try! result.get().json,
                            requires: members[name]!.buildInfo.requires.map { position[$0.name]! })
        }
        let ids = PackageIDs.compute(nodes)
        let packages = buildable.indices.map { index in
            let member = members[buildable[index]]!
            return PlannedPackage(name: member.definition.name, variant: member.definition.variant, id: ids[index],
                                  buildInfo: member.buildInfo, builder: try! inputs[index].get().builder,
                                  directory: member.definition.directory, file: member.definition.file,
                                  buildScript: PackageInputs.buildScript(member.definition, member.buildInfo),
                                  requires: nodes[index].requires, inputs: nodes[index].inputs,
                                  arch: request.arch, buildArch: try! inputs[index].get().buildArch)
        }
        return BuildPlan(arch: request.arch, treeVariant: request.treeVariant, installRoot: treeInfo.installRoot,
                         defaultBuilder: treeInfo.defaultBuilder,
                         packages: packages, unsupported: unsupported, skipped: skipped,
                         bootstrapPackages: buildable.filter(bootstrap.contains),
                         warnings: warnings + builderWarnings(packages))
    }

    /// A builder image named by tag can change under the same name, and the id cannot see it.
    private static func builderWarnings(_ packages: [PlannedPackage]) -> [Problem] {
        packages.compactMap { package in
            guard case .tagged(let reference, _) = package.builder else { return nil }
            return Problem(file: package.file, package: package.name, field: "docker",
                           "builder image '\(reference)' is named by a mutable tag; ids cannot see when it changes",
                           hint: "pin it by digest (\((try? ImageReference(parsing: reference))?.writtenName ?? reference)@sha256:…), or use a recipe-built image")
        }
    }
}
