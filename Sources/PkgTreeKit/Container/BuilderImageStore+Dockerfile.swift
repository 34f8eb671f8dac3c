import Foundation

/// The tree's Dockerfile builder (`default_builder.docker_directory`): built by an engine for
/// the platform, with `FROM ${PKGTREE_BUILDER}` naming its recipe's image (loaded first), so its
/// `RUN` lines execute in the target platform's root filesystem (under QEMU for a foreign one).
/// For bwrap, the built image's root filesystem is exported once into
/// `cache/images/<arch>/<image-id>/rootfs`, beside its `config.json` (environment, entrypoint,
/// working directory), which bwrap applies as an engine would.
extension BuilderImageStore {
    /// The engine image of `dockerfile` for `arch`, built when the engine lacks it.
    public func engineImage(_ dockerfile: BuilderDockerfile, arch: Architecture, engine: EngineRunner,
                            announce: (String) -> Void) async throws -> String {
        let identity = BuilderIdentity.dockerfile(dockerfile, arch: arch)
        let reference = Self.reference(identity, arch: arch)
        if try await engine.hasImage(reference, for: arch) { return reference }
        let base = try await engineImage(dockerfile.baseRecipe(for: arch), arch: arch, engine: engine, announce: announce)
        // One build per image across processes (and the builds of one process).
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-\(engine.kind.rawValue)"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if try await engine.hasImage(reference, for: arch) { return reference }
        let directory = directory(identity, arch: arch)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.child("\(engine.kind.rawValue)-build.log")
        try? FileManager.default.removeItem(at: log)
        announce("building \(dockerfile.path)/Dockerfile for \(arch.ociPlatform) with \(engine.kind.rawValue), once; log: \(log.path)")
        let started = ContinuousClock.now
        let command = engine.buildCommand(context: dockerfile.directory.path, reference: reference, arch: arch,
                                          buildArguments: [BuilderDockerfile.baseArgument: base])
        let status = try await ToolRunner.run(command, log: log)
        guard status == 0 else {
            let output = LogTail.lines(of: log, count: 15)?.joined(separator: "\n") ?? ""
            throw Problems([Problem(file: DisplayPath.of(dockerfile.directory.child("Dockerfile")), field: "default_builder.docker_directory",
                                    "building the \(arch) builder image failed (\(engine.kind.rawValue) build exited \(status)):\n\(output)",
                                    hint: "see \(log.path); the command was: \(command)")])
        }
        announce("built \(dockerfile.path)/Dockerfile for \(arch.ociPlatform) in \((ContinuousClock.now - started).secondsText)")
        return reference
    }

    /// The image's config, as the engine reports it.
    static func config(of reference: String, engine: EngineRunner) async throws -> ImageConfig {
        let inspect = try await ToolRunner.capture(engine.configCommand(reference))
        guard inspect.status == 0, let json = try? JSONFile.parse(Data(inspect.output.utf8), displayPath: reference) else {
            throw Problems([Problem(field: "docker", "cannot read the config of builder image '\(reference)': \(inspect.output)",
                                    hint: "check that `\(engine.configCommand(reference))` works")])
        }
        return ImageConfig.parse(json)
    }

    /// For bwrap: the root filesystem of `dockerfile`'s image for `arch` and its config, built
    /// with `engine` and exported when missing.
    public func exportedImage(_ dockerfile: BuilderDockerfile, arch: Architecture, engine: EngineRunner,
                              announce: (String) -> Void) async throws -> (rootfs: URL, config: ImageConfig) {
        let identity = BuilderIdentity.dockerfile(dockerfile, arch: arch)
        let directory = directory(identity, arch: arch)
        let rootfs = directory.child("rootfs"), configFile = directory.child("config.json")
        // config.json is written before the rootfs appears, by a rename: a rootfs has its config.
        if FileStatus.isDirectory(rootfs.path), FileStatus.of(configFile.path) != nil {
            return (rootfs, try Self.readConfig(configFile))
        }
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-rootfs"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        let reference = try await engineImage(dockerfile, arch: arch, engine: engine, announce: announce)
        if FileStatus.isDirectory(rootfs.path) {
            // A rootfs exported by an earlier pkgtree, which kept no config: the engine's image
            // has it. The rootfs stays: a running build may be using it.
            guard FileStatus.of(configFile.path) == nil else { return (rootfs, try Self.readConfig(configFile)) }
            return (rootfs, try await Self.writeConfig(of: reference, engine: engine, to: configFile, lockID: lockID, layout: layout))
        }
        let started = ContinuousClock.now
        let archive = layout.tmp.child(TemporaryName.make(for: lockID))
        defer { try? FileManager.default.removeItem(at: archive) }
        let config = try await StagedPublish(rootfs, what: "builder root filesystem", stagingIn: layout.tmp, owner: lockID,
                                             existing: .keep).publish { staging in
            try await Self.export(reference, platform: arch, engine: engine, to: archive)
            try await Self.unpack(archive, into: staging)
            return try await Self.writeConfig(of: reference, engine: engine, to: configFile, lockID: lockID, layout: layout)
        }
        announce("exported the \(arch) builder image from \(engine.kind.rawValue) for bwrap in \((ContinuousClock.now - started).secondsText)")
        return (rootfs, config)
    }

    /// A `config.json` written beside an image's root filesystem.
    static func readConfig(_ file: URL) throws -> ImageConfig {
        ImageConfig.parse(try JSONFile.read(file, displayPath: file.path))
    }

    /// Writes the engine's config of `reference` to `file` whole (staged, then renamed): a
    /// reader never sees half of it.
    private static func writeConfig(of reference: String, engine: EngineRunner, to file: URL, lockID: String,
                                     layout: CacheLayout) async throws -> ImageConfig {
        let config = try await Self.config(of: reference, engine: engine)
        try StagedPublish(file, what: "builder image config", stagingIn: layout.tmp, owner: lockID).publish {
            try Data(CanonicalJSON.bytes(config.json)).write(to: $0)
        }
        return config
    }

    /// Writes the root filesystem of `reference` to `archive`: through a container that is
    /// created, exported and removed, never started.
    private static func export(_ reference: String, platform: Architecture, engine: EngineRunner, to archive: URL) async throws {
        let created = try await ToolRunner.capture(engine.createCommand(reference, platform: platform))
        let container = created.output.split(separator: "\n").last.map(String.init) ?? ""
        guard created.status == 0, !container.isEmpty else {
            throw Problems([Problem(field: "--runner", "\(engine.kind.rawValue) could not create a container of '\(reference)' to export it for bwrap: \(created.output)")])
        }
        let exported: ToolRunner.Captured
        do {
            exported = try await ToolRunner.capture(engine.exportCommand(container: container, to: archive.path))
        } catch {
            _ = try? await ToolRunner.capture(engine.removeCommand(container: container))
            throw error
        }
        _ = try? await ToolRunner.capture(engine.removeCommand(container: container))
        guard exported.status == 0 else {
            throw Problems([Problem(field: "--runner", "\(engine.kind.rawValue) could not export '\(reference)' for bwrap: \(exported.output)")])
        }
    }
}
