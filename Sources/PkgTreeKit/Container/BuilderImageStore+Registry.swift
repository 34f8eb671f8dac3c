import Foundation

/// Builder images named by a registry reference (a package's `docker` field, or a
/// `default_builder` string), pulled for the build's platform by pkgtree itself
/// (`RegistryImagePull`), once per identity and architecture:
///
/// - for bwrap, the layers are applied in order (OCI whiteouts honoured) into
///   `cache/images/<arch>/<image-id>/rootfs`, beside `config.json` (the image's environment,
///   entrypoint and working directory) and `image.json` (what was pulled: the reference, the
///   manifest digest, the layers). The directory is published whole, by one rename, so a
///   rootfs always has its config; a later build finds it and asks no registry.
/// - for podman and docker, the pulled blobs are loaded (`ImageArchive`) as
///   `localhost/pkgtree/builder-<arch>:<image-id>`: the engines need no registry
///   configuration of their own, and the image id is the registry's.
///
/// The image id is the pinned digest (a tag's identity hashes the reference): a tag is
/// resolved to a digest when it is pulled, and kept as pulled, as an engine keeps a tag it has.
extension BuilderImageStore {
    /// The root filesystem and config of registry image `identity` (`.pinned` or `.tagged`)
    /// for bwrap, pulled and unpacked when missing.
    func registryRootfs(_ identity: BuilderIdentity, reference: ImageReference, origin: BuilderOrigin,
                        announce: (String) -> Void) async throws -> (rootfs: URL, config: ImageConfig) {
        let arch = identity.platform
        let directory = directory(identity, arch: arch)
        let rootfs = directory.child("rootfs"), configFile = directory.child("config.json")
        if FileStatus.isDirectory(rootfs.path) { return (rootfs, try Self.readConfig(configFile)) }
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-rootfs"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.isDirectory(rootfs.path) { return (rootfs, try Self.readConfig(configFile)) }
        let scratch = layout.tmp.child(TemporaryName.make(for: lockID))
        defer { ScratchRemoval.remove(scratch) }
        let config = try await StagedPublish(directory, what: "builder image", stagingIn: layout.tmp, owner: lockID, existing: .keep).publish { staging in
            let pulled = try await pulling(reference, arch: arch, origin: origin, into: scratch, announce: announce)
            let started = ContinuousClock.now
            let stagedRootfs = staging.child("rootfs")
            try FileManager.default.createDirectory(at: stagedRootfs, withIntermediateDirectories: true)
            do {
                for layer in pulled.layers { try ImageLayerUnpacker.apply(layer, to: stagedRootfs) }
            } catch let error as ArchiveError {
                throw Problems([RegistryImagePull.problem(error, reference: reference.description, arch: arch, origin: origin)!])
            }
            try Self.addMountPoints(to: stagedRootfs)
            let config = try pulled.config
            try Data(CanonicalJSON.bytes(config.json)).write(to: staging.child("config.json"))
            try Data(CanonicalJSON.bytes(Self.provenance(pulled, reference: reference))).write(to: staging.child("image.json"))
            announce("unpacked \(reference) for bwrap in \((ContinuousClock.now - started).secondsText)")
            return config
        }
        return (rootfs, config)
    }

    /// The engine image of registry image `identity`: its local name, pulled and loaded when
    /// the engine lacks it. Throws `RunnerUnusable` when the engine cannot load it.
    func registryEngineImage(_ identity: BuilderIdentity, reference: ImageReference, origin: BuilderOrigin, engine: EngineRunner,
                             announce: (String) -> Void) async throws -> String {
        let arch = identity.platform
        return try await loadedEngineImage(identity, engine: engine, what: "\(reference) for \(arch.ociPlatform)", announce: announce) { archive in
            let pulled = try await pulling(reference, arch: arch, origin: origin, into: archive.deletingLastPathComponent(), announce: announce)
            try ImageArchive.write(config: pulled.image.config, layers: pulled.layers, reference: Self.reference(identity, arch: arch), to: archive)
        }
    }

    /// The directories a sandbox mounts over, made where an image lacks them, as container
    /// runtimes make them (an image from `FROM scratch` has none): bwrap's read-only probe of
    /// the root filesystem could not make them.
    private static func addMountPoints(to rootfs: URL) throws {
        for (name, mode) in [("proc", 0o555), ("dev", 0o755), ("sys", 0o555), ("tmp", 0o1777)]
        where FileStatus.of(rootfs.child(name).path) == nil {
            try FileManager.default.createDirectory(at: rootfs.child(name), withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: mode])
        }
    }

    /// `RegistryImagePull.pull`, its registry failures turned into problems of `origin`.
    private func pulling(_ reference: ImageReference, arch: Architecture, origin: BuilderOrigin, into scratch: URL,
                         announce: (String) -> Void) async throws -> RegistryImagePull {
        do {
            return try await RegistryImagePull.pull(reference, arch: arch, registries: registries, into: scratch, announce: announce)
        } catch {
            guard let problem = RegistryImagePull.problem(error, reference: reference.description, arch: arch, origin: origin) else { throw error }
            throw Problems([problem])
        }
    }

    /// What `image.json` records of a pulled image: enough to pull it again or to audit it.
    private static func provenance(_ pulled: RegistryImagePull, reference: ImageReference) -> JSONValue {
        .object(["reference": .string(reference.description), "resolved_digest": .string(pulled.image.resolvedDigest),
                 "manifest_digest": .string(pulled.image.manifestDigest), "platform": .string(pulled.image.platform.description),
                 "layers": .array(pulled.image.layers.map { .string($0.digest) })])
    }
}
