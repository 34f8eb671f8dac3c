import Foundation

extension Runner {
    /// What building a package's own `docker/` directory needs.
    public struct DockerContext: Sendable {
        public var directory: URL
        public var packageName: String
        /// The image its `FROM ${PKGTREE_BUILDER}` names.
        public var defaultBuilder: BuilderIdentity
        /// Where the package's builder is named, for the problems of getting it.
        public var origin: BuilderOrigin

        public init(directory: URL, packageName: String, defaultBuilder: BuilderIdentity, origin: BuilderOrigin) {
            self.directory = directory
            self.packageName = packageName
            self.defaultBuilder = defaultBuilder
            self.origin = origin
        }

        /// The context of `package`'s own `docker/` directory within `plan`.
        public init(_ package: PlannedPackage, plan: BuildPlan) {
            self.init(directory: package.directory.child("docker"), packageName: package.name,
                      defaultBuilder: plan.defaultBuilderIdentity(for: package.buildArch), origin: BuilderOrigin(package))
        }
    }

    /// The image a build with `identity` runs in, made or loaded when missing. What this
    /// runner cannot do is a problem of the `--runner` or `docker` field.
    public func image(for identity: BuilderIdentity, store: BuilderImageStore, docker: DockerContext? = nil,
                      announce: (String) -> Void) async throws -> BuilderImage {
        do {
            return try await preparedImage(for: identity, store: store, docker: docker, origin: docker?.origin, announce: announce)
        } catch let unusable as RunnerUnusable {
            throw Problems([unusable.problem])
        }
    }

    /// `image(for:)`, throwing `RunnerUnusable` for what is this runner's own failure, so that
    /// selection can try another. `origin` is where the builder is named (a registry image's
    /// problems name it).
    func preparedImage(for identity: BuilderIdentity, store: BuilderImageStore, docker: DockerContext?, origin: BuilderOrigin?,
                       announce: (String) -> Void) async throws -> BuilderImage {
        let none = URL(fileURLWithPath: "/nonexistent")
        switch (identity, self) {
        case (.dockerDirectory(let digest, let arch), .engine(let engine)):
            guard let docker else { preconditionFailure("a docker/ builder needs its directory") }
            let base = try await preparedImage(for: docker.defaultBuilder, store: store, docker: nil, origin: docker.origin, announce: announce)
            let reference = "localhost/pkgtree/pkg-\(docker.packageName)-\(arch.rawValue):\(digest.prefix(24))"
            if try await !engine.hasImage(reference, for: arch) {
                announce("building \(docker.packageName)'s docker/ image for \(arch.ociPlatform)")
                let built = try await ToolRunner.capture(engine.buildCommand(
                    context: docker.directory.path, reference: reference, arch: arch,
                    buildArguments: [BuilderDockerfile.baseArgument: base.reference]))
                guard built.status == 0 else {
                    throw Problems([Problem(file: docker.directory.child("Dockerfile").path, package: docker.packageName, field: "docker",
                                            "building the package's builder image failed:\n\(built.output.split(separator: "\n").suffix(15).joined(separator: "\n"))",
                                            hint: "FROM ${PKGTREE_BUILDER} (with ARG PKGTREE_BUILDER) starts from the tree's default builder")])
                }
            }
            return BuilderImage(reference: reference, rootfs: none, config: try await BuilderImageStore.config(of: reference, engine: engine))
        case (.dockerfile(let dockerfile, let arch), .engine(let engine)):
            let reference = try await store.engineImage(dockerfile, arch: arch, engine: engine, announce: announce)
            return BuilderImage(reference: reference, rootfs: none, config: try await BuilderImageStore.config(of: reference, engine: engine))
        case (.dockerfile(let dockerfile, let arch), .bwrap(let bwrap)):
            guard let engine = bwrap.imageEngine else { throw RunnerUnusable(try await unusable(identity)!) }
            let (rootfs, config) = try await store.exportedImage(dockerfile, arch: arch, engine: engine, announce: announce)
            return BuilderImage(reference: BuilderImageStore.reference(identity, arch: arch), rootfs: rootfs, config: config)
        case (.recipe(let recipe, let arch), .engine(let engine)):
            let reference = try await store.engineImage(recipe, arch: arch, engine: engine, announce: announce)
            return BuilderImage(reference: reference, rootfs: none, config: .recipe(recipe))
        case (.recipe(let recipe, let arch), .bwrap):
            let rootfs = try await store.rootfsDirectory(recipe, arch: arch, announce: announce)
            return BuilderImage(reference: BuilderImageStore.reference(identity, arch: arch), rootfs: rootfs, config: .recipe(recipe))
        case (.pinned(let written, let arch), .engine(let engine)), (.tagged(let written, let arch), .engine(let engine)):
            // What the engine has under the name as written is used as the engine would use it.
            let reference = try await engine.hasImage(written, for: arch) ? written
                : try await store.registryEngineImage(identity, reference: try Self.parsed(written, origin), origin: origin ?? .unnamed,
                                                      engine: engine, announce: announce)
            return BuilderImage(reference: reference, rootfs: none, config: try await BuilderImageStore.config(of: reference, engine: engine))
        case (.pinned(let written, _), .bwrap), (.tagged(let written, _), .bwrap):
            let (rootfs, config) = try await store.registryRootfs(identity, reference: try Self.parsed(written, origin), origin: origin ?? .unnamed,
                                                                  announce: announce)
            return BuilderImage(reference: written, rootfs: rootfs, config: config)
        case (.dockerDirectory, .bwrap):
            throw RunnerUnusable(try await unusable(identity)!)
        }
    }

    /// A reference the tree's reader has checked already.
    private static func parsed(_ written: String, _ origin: BuilderOrigin?) throws -> ImageReference {
        do {
            return try ImageReference(parsing: written)
        } catch {
            throw Problems([(origin ?? .unnamed).problem("'\(written)' is not an image reference: it \(error.reason)")])
        }
    }

    /// Why this runner cannot use `builder` at all, whatever images are made: bwrap and a
    /// package's `docker/` directory, or the tree's Dockerfile builder with no engine to build it.
    func unusable(_ builder: BuilderIdentity) async throws -> Problem? {
        switch (builder, self) {
        case (.recipe, _), (.dockerDirectory, .engine), (.dockerfile, .engine), (.pinned, _), (.tagged, _):
            return nil
        case (.dockerfile, .bwrap(let bwrap)):
            if bwrap.imageEngine != nil { return nil }
            return Problem(field: "--runner", "bwrap builds the tree's Dockerfile builder with podman or docker (build, then export its root filesystem), and neither is installed",
                           hint: "install podman (apt-get install podman), or give default_builder a recipe without docker_directory")
        case (.dockerDirectory, .bwrap):
            return Problem(field: "docker", "bwrap runs recipe-built images and the tree's Dockerfile builder, and pulls registry images, but cannot build builder \(builder.summary)",
                           hint: "use --runner podman or docker")
        }
    }
}
