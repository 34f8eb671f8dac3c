import Foundation

/// The runner a build uses: an engine (podman, docker) or bwrap, chosen by `--runner`, the
/// configuration, or the first that works here.
public enum Runner: Sendable {
    case engine(EngineRunner)
    case bwrap(BwrapRunner)

    public var kind: RunnerKind {
        switch self {
        case .engine(let engine): engine.kind
        case .bwrap: .bwrap
        }
    }

    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        switch self {
        case .engine(let engine): engine.runCommand(invocation)
        case .bwrap(let bwrap): bwrap.runCommand(invocation)
        }
    }

    /// Prepares what `runCommand` needs in the build's layer (its install root, or the plan
    /// that assembles it).
    public func stage(_ invocation: BuildInvocation) throws {
        switch self {
        case .engine(let engine): try engine.stage(invocation)
        case .bwrap(let bwrap): try bwrap.stage(invocation)
        }
    }

    /// What stops a running build for good when it is interrupted, beyond signalling the
    /// process `runCommand` started: nothing for bwrap, whose sandbox dies with it.
    public func stopCommand(_ invocation: BuildInvocation) -> ToolCommand? {
        switch self {
        case .engine(let engine): engine.stopCommand(invocation)
        case .bwrap: nil
        }
    }

    /// Whether `image` has an entrypoint (never, for bwrap's recipe-built root filesystems).
    public func hasEntrypoint(_ image: BuilderImage) async throws -> Bool {
        guard case .engine(let engine) = self else { return false }
        let inspect = try await ToolRunner.capture(engine.entrypointCommand(image.reference))
        guard inspect.status == 0 else {
            throw Problems([Problem(field: "docker", "cannot read the entrypoint of builder image '\(image.reference)': \(inspect.output)",
                                    hint: "check that `\(engine.entrypointCommand(image.reference))` works")])
        }
        let entrypoint = inspect.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return !["", "null", "[]"].contains(entrypoint)
    }

    static func make(_ kind: RunnerKind, _ configuration: RunnerConfiguration) -> Runner {
        kind == .bwrap ? .bwrap(BwrapRunner(tool: configuration.tool(.bwrap)))
            : .engine(EngineRunner(kind: kind, tool: configuration.tool(kind)))
    }

    var probeCommand: ToolCommand {
        switch self {
        case .engine(let engine): engine.probeCommand
        case .bwrap(let bwrap): bwrap.probeCommand
        }
    }

    /// `requested` (or the configured runner) if it works; otherwise the first of docker,
    /// podman, bwrap that does. `note` hears why each skipped runner was skipped.
    public static func select(_ requested: RunnerKind?, configuration: RunnerConfiguration,
                              note: (String) -> Void) async throws -> Runner {
        let candidates = (requested ?? configuration.runner).map { [$0] } ?? RunnerKind.detectionOrder
        var reasons: [String] = []
        for kind in candidates {
            let runner = make(kind, configuration)
            guard ToolRunner.isInstalled(kind.rawValue) else {
                reasons.append("\(kind.rawValue): not installed")
                note("runner \(kind.rawValue) skipped: not installed")
                continue
            }
            let probe = try await ToolRunner.capture(runner.probeCommand)
            if probe.status == 0 { return runner }
            let reason = probe.output.split(separator: "\n").last.map(String.init) ?? "exit \(probe.status)"
            reasons.append("\(kind.rawValue): `\(runner.probeCommand)` failed: \(reason)")
            note("runner \(kind.rawValue) skipped: `\(runner.probeCommand)` failed: \(reason)")
        }
        throw Problems([Problem(field: "--runner", "no container runner works here (\(reasons.joined(separator: "; ")))",
                                hint: "install podman or bubblewrap (scripts/setup.sh does), or set runner options in pkgtree.json")])
    }

    /// What building a package's own `docker/` directory needs.
    public struct DockerContext: Sendable {
        public var directory: URL
        public var packageName: String
        /// The image its `FROM ${PKGTREE_BUILDER}` names.
        public var defaultBuilder: BuilderIdentity

        public init(directory: URL, packageName: String, defaultBuilder: BuilderIdentity) {
            self.directory = directory
            self.packageName = packageName
            self.defaultBuilder = defaultBuilder
        }

        /// The context of `package`'s own `docker/` directory within `plan`.
        public init(_ package: PlannedPackage, plan: BuildPlan) {
            self.init(directory: package.directory.child("docker"), packageName: package.name,
                      defaultBuilder: plan.defaultBuilderIdentity(for: package.buildArch))
        }
    }

    /// The image a build with `identity` runs in, made or imported when missing.
    public func image(for identity: BuilderIdentity, store: BuilderImageStore, docker: DockerContext? = nil,
                      announce: (String) -> Void) async throws -> BuilderImage {
        switch (identity, self) {
        case (.dockerDirectory(let digest, let arch), .engine(let engine)):
            guard let docker else { preconditionFailure("a docker/ builder needs its directory") }
            let base = try await image(for: docker.defaultBuilder, store: store, announce: announce)
            let reference = "localhost/pkgtree/pkg-\(docker.packageName)-\(arch.rawValue):\(digest.prefix(24))"
            if try await ToolRunner.capture(engine.imageExistsCommand(reference)).status != 0 {
                announce("building \(docker.packageName)'s docker/ image for \(arch.ociPlatform)")
                let built = try await ToolRunner.capture(engine.buildCommand(
                    context: docker.directory.path, reference: reference, arch: arch,
                    buildArguments: ["PKGTREE_BUILDER": base.reference]))
                guard built.status == 0 else {
                    throw Problems([Problem(file: docker.directory.child("Dockerfile").path, package: docker.packageName, field: "docker",
                                            "building the package's builder image failed:\n\(built.output.split(separator: "\n").suffix(15).joined(separator: "\n"))",
                                            hint: "FROM ${PKGTREE_BUILDER} (with ARG PKGTREE_BUILDER) starts from the tree's default builder")])
                }
            }
            return BuilderImage(reference: reference, rootfs: URL(fileURLWithPath: "/nonexistent"))
        case (.recipe(let recipe, let arch), .engine(let engine)):
            let reference = try await store.engineImage(recipe, arch: arch, engine: engine, announce: announce)
            return BuilderImage(reference: reference, rootfs: store.directory(identity, arch: arch).child("rootfs"))
        case (.recipe(let recipe, let arch), .bwrap):
            let rootfs = try await store.rootfsDirectory(recipe, arch: arch, announce: announce)
            return BuilderImage(reference: BuilderImageStore.reference(identity, arch: arch), rootfs: rootfs)
        case (.pinned(let reference, _), .engine(let engine)), (.tagged(let reference, _), .engine(let engine)):
            guard try await ToolRunner.capture(engine.imageExistsCommand(reference)).status == 0 else {
                throw Problems([Problem(field: "docker", "builder image '\(reference)' is not available locally, and pkgtree pulls from no registry",
                                        hint: "load it first (`\(engine.kind.rawValue) load -i image.tar`), or use a recipe-built default builder")])
            }
            return BuilderImage(reference: reference, rootfs: URL(fileURLWithPath: "/nonexistent"))
        case (.dockerDirectory, .bwrap), (.pinned, .bwrap), (.tagged, .bwrap):
            throw Problems([Problem(field: "docker", "the \(kind.rawValue) runner cannot use builder \(identity.summary)",
                                    hint: kind == .bwrap ? "bwrap runs recipe-built images only; use --runner podman" : "use a recipe-built default builder")])
        }
    }
}
