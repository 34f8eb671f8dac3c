import Foundation

/// `pkgtree lint`: what would break a package's build for the target architecture, found
/// before a long build does. Reads the files of each package the plan builds for the target
/// (its build script, buildinfo after the `arch` overlay, `docker/Dockerfile` and
/// `docker/.dockerignore`), the tree variant's treeinfo, and the tree's Dockerfile builder.
/// Offline, and writes nothing.
public enum Linter {
    public struct Report: Sendable {
        public var arch: Architecture
        public var treeVariant: String?
        /// The packages linted, in build order.
        public var packages: [String]
        /// Sorted by file, line and column.
        public var findings: [LintFinding]
        /// What `plan` warns about too (mutable image tags, ignored pkgpanda files).
        public var warnings: [Problem]
    }

    /// Loads and resolves the tree (a broken tree throws its problems, as `plan` does), then lints it.
    public static func lint(packages: URL, _ request: TreeResolver.Request) throws(Problems) -> Report {
        let tree = try TreeLoader.load(packages)
        let plan = try TreeResolver.plan(tree, request)
        return lint(tree: tree, plan: plan)
    }

    public static func lint(tree: PackageTree, plan: BuildPlan) -> Report {
        let perPackage = ParallelMap.map(plan.packages) { package in
            lint(package, definition: tree.definition(package.name, variant: package.variant), target: plan.arch)
        }
        let findings = perPackage.flatMap { $0 } + TreeInfoScan.findings(tree: tree, treeVariant: plan.treeVariant, target: plan.arch)
            + treeDockerfile(plan)
        return Report(arch: plan.arch, treeVariant: plan.treeVariant, packages: plan.packages.map(\.name),
                      findings: Array(Set(findings)).sorted(), warnings: plan.warnings)
    }

    /// The tree's Dockerfile builder (`default_builder.docker_directory`), built for the target.
    private static func treeDockerfile(_ plan: BuildPlan) -> [LintFinding] {
        guard case .dockerfile(let dockerfile)? = plan.defaultBuilder else { return [] }
        return dockerfileFindings(dockerfile.directory, package: nil, target: plan.arch)
    }

    /// `Dockerfile` and `.dockerignore` of a Dockerfile directory built for `target`.
    private static func dockerfileFindings(_ directory: URL, package: String?, target: Architecture) -> [LintFinding] {
        var findings: [LintFinding] = []
        if let dockerfile = LintedFile(directory.child("Dockerfile"), package: package) {
            findings += DockerfileScan.findings(dockerfile, target: target)
        }
        if let ignore = LintedFile(directory.child(".dockerignore"), package: package) {
            findings += DockerignoreScan.findings(ignore, target: target)
        }
        return findings
    }

    /// The files of one package. Its builder image is checked against the architecture it
    /// runs on: the host's, for a cross build.
    private static func lint(_ package: PlannedPackage, definition: PackageDefinition?, target: Architecture) -> [LintFinding] {
        var findings: [LintFinding] = []
        let docker = package.directory.child("docker")
        if let script = LintedFile(package.directory.child(package.buildScript), package: package.name) {
            findings += BuildScriptScan.findings(script, target: target, cross: package.isCrossBuild)
        }
        findings += dockerfileFindings(docker, package: package.name, target: package.buildArch)
        if let definition, let scan = BuildInfoScan(definition, info: package.buildInfo, target: target,
                                                          builderArch: package.buildArch) {
            findings += scan.findings()
        }
        return findings
    }
}
