import Foundation

/// `pkgtree cache import`: brings artifacts named `<id>.tar.xz` into the cache when the id is a
/// package of the tree's current plan for the architecture — so an imported file is exactly
/// what a local build of that id would have stored, with its inputs recorded.
public enum ArtifactImport {
    public struct Item: Sendable {
        public var file: URL
        public var artifact: ArtifactStore.Description
        /// The planned package the id belongs to, and where its tree installs: what the
        /// output checks need to hold the file to the rules of a local build.
        public var package: PlannedPackage
        public var installRoot: String
    }

    /// A package of the current plans: what an artifact of its id is stored as, and what the
    /// output checks hold it to. Also what `pkgtree cache pull` matches ids against.
    public struct Planned: Sendable {
        public var artifact: ArtifactStore.Description
        public var package: PlannedPackage
        public var installRoot: String
    }

    /// Every package of `plans`, by id (the first plan naming an id wins).
    public static func plannedByID(_ plans: [BuildPlan]) -> [String: Planned] {
        var byID: [String: Planned] = [:]
        for plan in plans {
            for index in plan.packages.indices where byID[plan.packages[index].id] == nil {
                byID[plan.packages[index].id] = Planned(artifact: ArtifactStore.Description(plan: plan, index: index),
                                                        package: plan.packages[index], installRoot: plan.installRoot)
            }
        }
        return byID
    }

    /// Matches every file to a planned package; throws every mismatch before anything is stored.
    public static func match(_ files: [URL], plans: [BuildPlan]) throws(Problems) -> [Item] {
        let byID = plannedByID(plans)
        var problems = ProblemCollector()
        var items: [Item] = []
        for file in files {
            let name = file.lastPathComponent
            guard let id = CacheLayout.artifactID(fileName: name) else {
                problems.add(Problem(file: DisplayPath.of(file), "is not named <package id>.tar.xz",
                                     hint: "import files as the cache stores them: packages/<arch>/<name>/<id>.tar.xz"))
                continue
            }
            guard let planned = byID[id] else {
                let arch = plans.first.map { " for \($0.arch)" } ?? ""
                problems.add(Problem(file: DisplayPath.of(file), "'\(id)' is not a package id of the tree's current plan\(arch)",
                                     hint: "the tree or its inputs differ from where the artifact was built; `pkgtree plan --json` lists the current ids"))
                continue
            }
            if FileStatus.of(file.path, followingSymlinks: true)?.kind != .regular {
                problems.add(Problem(file: DisplayPath.of(file), "does not exist or is not a regular file"))
                continue
            }
            items.append(Item(file: file, artifact: planned.artifact, package: planned.package, installRoot: planned.installRoot))
        }
        try problems.throwIfAny()
        return items
    }
}
