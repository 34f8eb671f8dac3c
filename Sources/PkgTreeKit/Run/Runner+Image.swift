import Foundation

extension Runner {
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

    /// The image a build with `identity` runs in, made or loaded when missing. What this
    /// runner cannot do is a problem of the `--runner` or `docker` field.
    public func image(for identity: BuilderIdentity, store: BuilderImageStore, docker: DockerContext? = nil,
                      announce: (String) -> Void) async throws -> BuilderImage {
        do {
            return try await preparedImage(for: identity, store: store, docker: docker, announce: announce)
        } catch let unusable as RunnerUnusable {
            throw Problems([unusable.problem])
        }
    }

    /// `image(for:)`, throwing `RunnerUnusable` for what is this runner's own failure, so that
    /// selection can try another.
    func preparedImage(for identity: BuilderIdentity, store: BuilderImageStore, docker: DockerContext?,
                       announce: (String) -> Void) async throws -> BuilderImage {
        switch (identity, self) {
        case (.dockerDirectory(let digest, let arch), .engine(let engine)):
            guard let docker else { preconditionFailure("a docker/ builder needs its directory") }
            let base = try await preparedImage(for: docker.defaultBuilder, store: store, docker: nil, announce: announce)
            let reference = "localhost/pkgtree/pkg-\(docker.packageName)-\(arch.rawValue):\(digest.prefix(24))"
            if try await !engine.hasImage(reference, for: arch) {
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
        case (.pinned(let reference, _), .engine), (.tagged(let reference, _), .engine):
            if let problem = try await unusable(identity) { throw RunnerUnusable(problem) }
            return BuilderImage(reference: reference, rootfs: URL(fileURLWithPath: "/nonexistent"))
        case (.dockerDirectory, .bwrap), (.pinned, .bwrap), (.tagged, .bwrap):
            throw RunnerUnusable(try await unusable(identity)!)
        }
    }

    /// Why this runner cannot use `builder` at all, whatever images are made: bwrap and anything
    /// but a recipe; an engine and a registry image it does not have for the platform.
    func unusable(_ builder: BuilderIdentity) async throws -> Problem? {
        switch (builder, self) {
        case (.recipe, _), (.dockerDirectory, .engine):
            return nil
        case (.pinned(let reference, let arch), .engine(let engine)), (.tagged(let reference, let arch), .engine(let engine)):
            if try await engine.hasImage(reference, for: arch) { return nil }
            return Problem(field: "docker", "builder image '\(reference)' is not available locally in \(engine.kind.rawValue) for \(arch.ociPlatform), and pkgtree pulls from no registry",
                           hint: "load it first (`\(engine.kind.rawValue) load -i image.tar`), or use a recipe-built default builder")
        case (_, .bwrap):
            return Problem(field: "docker", "bwrap runs recipe-built images only, not builder \(builder.summary)",
                           hint: "use --runner podman or docker")
        }
    }
}
