import Foundation

extension PackageBuilder {
    /// A package's build environment made ready in its scratch directory, not yet started: the
    /// builder image, fresh copies of the sources, the install root of its dependencies, the
    /// mounts and variables (DESIGN §5), and the command that runs its build script. A build
    /// runs that command; `pkgtree shell` runs a person's shell in the same environment.
    struct PreparedBuild {
        /// Not yet staged (`Runner.stage`).
        var invocation: BuildInvocation
        /// What the build writes to `$PKG_PATH`: the package, once it is checked.
        var output: URL
        /// The build script's command when the container's command replaces the image's
        /// entrypoint (the invocation's own command relies on it).
        var scriptCommandWithEntrypoint: [String]
    }

    enum Preparation {
        case ready(PreparedBuild)
        /// A source could not be fetched: the package fails, saying which field is at fault.
        case sourceUnavailable(FetchError)
    }

    /// Prepares `plan.packages[position]`'s environment in `work`, a directory of the caller's
    /// that it removes after the run. Requires every dependency to be in the cache.
    func prepare(_ plan: BuildPlan, _ position: Int, in work: URL) async throws -> Preparation {
        let package = plan.packages[position]
        let output = work.child("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let image = try await runner.image(for: package.builder, store: BuilderImageStore(layout: layout),
                                           docker: Runner.DockerContext(package, plan: plan), announce: announce)
        if case .bwrap(let bwrap) = runner { try bwrap.checkOwnership(of: image) }
        let sources: [String: URL]
        do {
            sources = try await SourceFetcher(layout: layout)
                .prepare(sources: package.buildInfo.sources, packageDirectory: package.directory, staging: work.child("sources"))
        } catch let error as FetchError where !Task.isCancelled {
            return .sourceUnavailable(error)
        }
        let builder: ScriptLaunch.Builder = package.builder == plan.defaultBuilderIdentity(for: package.buildArch)
            ? .treeDefault : .packageImage(entrypoint: try await runner.entrypoint(image))
        let script = { (replacing: Bool) in
            ScriptLaunch.command("/pkg/build/\(package.buildScript)",
                                 firstLine: ScriptLaunch.firstLine(of: package.directory.child(package.buildScript)),
                                 builder: builder, replacingEntrypoint: replacing)
        }
        let invocation = try invocation(plan, position, image: image, output: output, sources: sources,
                                        command: script(false), layer: work.child("layer"))
        return .ready(PreparedBuild(invocation: invocation, output: output, scriptCommandWithEntrypoint: script(true)))
    }

    /// Mounts, environment and command of DESIGN §5.
    private func invocation(_ plan: BuildPlan, _ position: Int, image: BuilderImage, output: URL,
                            sources: [String: URL], command: [String], layer: URL) throws -> BuildInvocation {
        let package = plan.packages[position]
        let root = plan.installRoot
        let dependencies = try plan.transitiveRequirements(of: position).map {
            try unpacked.package(plan.packages[$0].id, name: plan.packages[$0].name)
        }
        let installRoot = BuildInvocation.InstallRoot(
            path: root, entries: try Activation.entries(dependencies.map(\.activated), installRoot: root),
            dependencies: dependencies.map { .init(id: $0.id, content: $0.content, files: $0.entries) }, outputID: package.id)
        var mounts = [
            BuildInvocation.Mount(host: output.path, container: "\(root)/packages/\(package.id)", readOnly: false),
            BuildInvocation.Mount(host: package.directory.path, container: "/pkg/build", readOnly: true),
        ]
        mounts += sources.map { BuildInvocation.Mount(host: $0.value.path, container: "/pkg/src/\($0.key)", readOnly: false) }
        let extra = package.directory.child("extra")
        if FileStatus.isDirectory(extra.path) {
            mounts.append(BuildInvocation.Mount(host: extra.path, container: "/pkg/extra", readOnly: true))
        }
        return BuildInvocation(name: BuildInvocation.name(forPackageID: package.id), platform: package.buildArch, image: image,
                               installRoot: installRoot, mounts: mounts,
                               environment: BuildEnvironment.variables(package, plan: plan, cores: cores),
                               network: package.buildInfo.network, command: command, layer: layer)
    }
}
