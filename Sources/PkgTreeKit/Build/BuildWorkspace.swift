import Foundation

/// A package's build environment made ready in a scratch directory, not yet started: the
/// builder image, fresh copies of the sources, the install root of its dependencies, the
/// mounts and variables, and the command that runs its build script. A build runs that
/// command; `pkgtree shell` runs a person's shell in the same environment.
struct BuildWorkspace {
    /// Not yet staged (`Runner.stage`).
    var invocation: BuildInvocation
    /// What the build writes to `$PKG_PATH`: the package, once it is checked.
    var output: URL
    /// The build script's command when the container's command replaces the image's
    /// entrypoint (the invocation's own command relies on it).
    var scriptCommandWithEntrypoint: [String]

    enum Preparation {
        case ready(BuildWorkspace)
        /// A source could not be fetched: the package fails, saying which field is at fault.
        case sourceUnavailable(FetchError)
    }

    /// What a run's workspaces are made with, shared by all its builds.
    struct Tools: Sendable {
        var layout: CacheLayout
        var runner: Runner
        var images: BuilderImageStore
        /// NUM_CORES of each build.
        var cores: Int
        /// Dependencies this run has unpacked and read.
        var unpacked: UnpackedPackages
        /// Told what takes long (making an image) before it starts.
        var announce: @Sendable (String) -> Void
    }

    /// Prepares `plan.packages[position]`'s environment in `directory`, which the caller
    /// removes after the run. Requires every dependency to be in the cache.
    static func prepare(_ plan: BuildPlan, _ position: Int, in directory: URL, with tools: Tools) async throws -> Preparation {
        let package = plan.packages[position]
        let output = directory.child("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let image = try await tools.image(for: package, in: plan)
        let sources: [String: URL]
        do {
            sources = try await SourceFetcher(layout: tools.layout)
                .prepare(sources: package.buildInfo.sources, packageDirectory: package.directory, staging: directory.child("sources"))
        } catch let error as FetchError where !Task.isCancelled {
            return .sourceUnavailable(error)
        }
        let script = ScriptLaunch.Builder(isTreeDefault: package.builder == plan.defaultBuilderIdentity(for: package.buildArch),
                                          entrypoint: image.config.entrypoint)
        let invocation = BuildInvocation(
            name: BuildInvocation.name(for: package.packageID), platform: package.buildArch, image: image,
            installRoot: try await tools.installRoot(plan, position), mounts: mounts(package, installRoot: plan.installRoot, output: output, sources: sources),
            environment: BuildEnvironment.variables(package, plan: plan, cores: tools.cores, builder: image.config.environment),
            network: package.buildInfo.network, command: scriptCommand(package, script, replacingEntrypoint: false),
            layer: directory.child("layer"))
        return .ready(BuildWorkspace(invocation: invocation, output: output,
                                     scriptCommandWithEntrypoint: scriptCommand(package, script, replacingEntrypoint: true)))
    }
}
