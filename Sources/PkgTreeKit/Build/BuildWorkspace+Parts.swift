import Foundation

extension BuildWorkspace.Tools {
    /// The package's builder image, made if this machine lacks it; bwrap refuses an image it
    /// cannot use safely.
    func image(for package: PlannedPackage, in plan: BuildPlan) async throws -> BuilderImage {
        let image = try await runner.image(for: package.builder, store: images,
                                           docker: Runner.DockerContext(package, plan: plan), announce: announce)
        if case .bwrap(let bwrap) = runner { try bwrap.checkOwnership(of: image) }
        return image
    }

    /// Everything `plan.packages[position]` requires, unpacked and activated under the
    /// install root; the output is the id's own directory there.
    func installRoot(_ plan: BuildPlan, _ position: Int) async throws -> BuildInvocation.InstallRoot {
        let root = plan.installRoot
        let dependencies = try await unpacked.packages(plan.transitiveRequirements(of: position).map {
            (plan.packages[$0].id, plan.packages[$0].name)
        })
        return BuildInvocation.InstallRoot(
            path: root, entries: try Activation.entries(dependencies.map(\.activated), installRoot: root),
            dependencies: dependencies.map(\.dependency), outputID: plan.packages[position].id)
    }
}

extension BuildWorkspace {
    /// The output at the id's place in the install root, the package directory at /pkg/build,
    /// each source at /pkg/src/<name>, `extra/` (when there is one) at /pkg/extra.
    static func mounts(_ package: PlannedPackage, installRoot: String, output: URL, sources: [String: URL]) -> [BuildInvocation.Mount] {
        var mounts = [
            BuildInvocation.Mount(host: output.path, container: "\(installRoot)/packages/\(package.id)", readOnly: false),
            BuildInvocation.Mount(host: package.directory.path, container: "/pkg/build", readOnly: true),
        ]
        mounts += sources.map { BuildInvocation.Mount(host: $0.value.path, container: "/pkg/src/\($0.key)", readOnly: false) }
        let extra = package.directory.child("extra")
        if FileStatus.isDirectory(extra.path) {
            mounts.append(BuildInvocation.Mount(host: extra.path, container: "/pkg/extra", readOnly: true))
        }
        return mounts
    }

    /// The command that runs the package's build script in `builder`'s image.
    static func scriptCommand(_ package: PlannedPackage, _ builder: ScriptLaunch.Builder, replacingEntrypoint: Bool) -> [String] {
        ScriptLaunch.command("/pkg/build/\(package.buildScript)",
                             firstLine: ScriptLaunch.firstLine(of: package.directory.child(package.buildScript)),
                             builder: builder, replacingEntrypoint: replacingEntrypoint)
    }
}
