import Crypto
import Foundation

/// Builder images made locally, without a registry: a recipe (Debian suite + packages) becomes a
/// root filesystem tarball through mmdebstrap, kept in `cache/images/<arch>/<image-id>/`, then
/// imported into podman/docker or unpacked for bwrap. The image id is the recipe's digest, the
/// same identity that package ids hash, so an image is made once per recipe and architecture.
public struct BuilderImageStore: Sendable {
    public let layout: CacheLayout

    public init(layout: CacheLayout) {
        self.layout = layout
    }

    /// The identity's id: its digest, shortened.
    public static func imageID(_ identity: BuilderIdentity) -> String {
        let digest = identity.json.objectValue?["digest"]?.stringValue
            ?? SHA256.hash(data: CanonicalJSON.bytes(identity.json)).hexString
        return String(digest.prefix(24))
    }

    public func directory(_ identity: BuilderIdentity, arch: Architecture) -> URL {
        layout.images.child("\(arch.rawValue)/\(Self.imageID(identity))")
    }

    /// The engine image name of a recipe-built image.
    public static func reference(_ identity: BuilderIdentity, arch: Architecture) -> String {
        "localhost/pkgtree/builder-\(arch.rawValue):\(imageID(identity))"
    }

    /// The rootfs tarball of `recipe` for `arch`, made with mmdebstrap when missing.
    /// `announce` is told before the (minutes long) creation starts.
    public func rootfsTarball(_ recipe: BuilderRecipe, arch: Architecture, announce: (String) -> Void) async throws -> URL {
        let identity = BuilderIdentity.recipe(recipe, arch: arch)
        let directory = directory(identity, arch: arch)
        let tarball = directory.child("rootfs.tar")
        if FileStatus.of(tarball.path)?.kind == .regular { return tarball }
        // One mmdebstrap per image across processes; the lock also keeps the staging file
        // safe from another process's repair of tmp/.
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-tar"
        try FileManager.default.createDirectory(at: layout.locks, withIntermediateDirectories: true)
        let lock = try FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.of(tarball.path)?.kind == .regular { return tarball }
        guard ToolRunner.isInstalled("mmdebstrap") else {
            throw Problems([Problem(field: "default_builder", "making the builder image needs mmdebstrap, which is not installed",
                                    hint: "apt-get install mmdebstrap (scripts/setup.sh installs it)")])
        }
        try Binfmt.require(arch, for: "making the \(arch) builder image")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: layout.tmp, withIntermediateDirectories: true)
        let staging = layout.tmp.child(TemporaryName.make(for: lockID))
        defer { try? FileManager.default.removeItem(at: staging) }
        let log = directory.child("mmdebstrap.log")
        announce("making the \(arch) builder image (Debian \(recipe.suite), \(recipe.packages.count) packages) with mmdebstrap, once; log: \(log.path)")
        // No mirror is named: mmdebstrap's default (the host's apt sources) is used.
        let command = ToolCommand("mmdebstrap", ["--arch=\(arch.debianArch)", "--variant=apt", "--format=tar",
                                                 "--include=\(recipe.packages.joined(separator: ","))",
                                                 recipe.suite, staging.path])
        let status = try await ToolRunner.run(command, log: log)
        guard status == 0 else {
            throw Problems([Problem(field: "default_builder", "mmdebstrap failed (exit \(status)) making the \(arch) builder image",
                                    hint: "see \(log.path); the command was: \(command)")])
        }
        try Durability.syncFile(staging)
        try FileManager.default.moveItem(at: staging, to: tarball)
        return tarball
    }

    /// The unpacked root filesystem for bwrap. The tarball is our own mmdebstrap output, so the
    /// system tar unpacks it with owners and special files intact (the archive layer's safe
    /// extraction refuses those on purpose).
    public func rootfsDirectory(_ recipe: BuilderRecipe, arch: Architecture, announce: (String) -> Void) async throws -> URL {
        let identity = BuilderIdentity.recipe(recipe, arch: arch)
        let rootfs = directory(identity, arch: arch).child("rootfs")
        if FileStatus.isDirectory(rootfs.path) { return rootfs }
        let tarball = try await rootfsTarball(recipe, arch: arch, announce: announce)
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-rootfs"
        try FileManager.default.createDirectory(at: layout.locks, withIntermediateDirectories: true)
        let lock = try FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.isDirectory(rootfs.path) { return rootfs }
        let staging = layout.tmp.child(TemporaryName.make(for: lockID))
        defer { try? FileManager.default.removeItem(at: staging) }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let unpack = try await ToolRunner.capture(ToolCommand("tar", ["-xpf", tarball.path, "-C", staging.path,
                                                                      "--numeric-owner", "--exclude=./dev/*"]))
        guard unpack.status == 0 else {
            throw CacheError.io(tarball.path, "cannot be unpacked: \(unpack.output)")
        }
        try FileManager.default.moveItem(at: staging, to: rootfs)
        return rootfs
    }

    /// The engine image for `recipe`, loaded from the tarball when the engine lacks it or has
    /// it for another platform (as `docker import` left it before). Throws `RunnerUnusable`
    /// when the engine cannot load it.
    public func engineImage(_ recipe: BuilderRecipe, arch: Architecture, engine: EngineRunner,
                            announce: (String) -> Void) async throws -> String {
        let identity = BuilderIdentity.recipe(recipe, arch: arch)
        let reference = Self.reference(identity, arch: arch)
        if try await engine.hasImage(reference, for: arch) { return reference }
        let tarball = try await rootfsTarball(recipe, arch: arch, announce: announce)
        // One load per image across processes (and builds of one process).
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-\(engine.kind.rawValue)"
        try FileManager.default.createDirectory(at: layout.locks, withIntermediateDirectories: true)
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID), polling: .milliseconds(200))
        defer { lock.unlock() }
        if try await engine.hasImage(reference, for: arch) { return reference }
        try FileManager.default.createDirectory(at: layout.tmp, withIntermediateDirectories: true)
        let archive = layout.tmp.child(TemporaryName.make(for: lockID))
        defer { try? FileManager.default.removeItem(at: archive) }
        announce("loading the \(arch) builder image into \(engine.kind.rawValue)")
        let started = ContinuousClock.now
        try ImageArchive.write(rootfs: tarball, reference: reference, platform: arch.imagePlatform, to: archive)
        let written = ContinuousClock.now
        let loaded = try await ToolRunner.capture(engine.loadCommand(archive: archive.path))
        guard loaded.status == 0 else {
            throw RunnerUnusable(Problem(field: "--runner", "\(engine.kind.rawValue) could not load the \(arch) builder image: \(loaded.output.trimmingCharacters(in: .whitespacesAndNewlines))",
                                         hint: "check that `\(engine.probeCommand)` works"))
        }
        announce("loaded the \(arch) builder image into \(engine.kind.rawValue) in \((ContinuousClock.now - started).secondsText) (the archive written in \((written - started).secondsText))")
        return reference
    }

    /// Every image made so far: architecture, id, and what exists of it.
    public func list() -> [(arch: String, id: String, tarball: Bool, rootfs: Bool)] {
        let manager = FileManager.default
        var result: [(String, String, Bool, Bool)] = []
        for arch in ((try? manager.contentsOfDirectory(atPath: layout.images.path)) ?? []).sorted() {
            let archDirectory = layout.images.child(arch)
            for id in ((try? manager.contentsOfDirectory(atPath: archDirectory.path)) ?? []).sorted() {
                let directory = archDirectory.child(id)
                result.append((arch, id, FileStatus.of(directory.child("rootfs.tar").path) != nil,
                               FileStatus.isDirectory(directory.child("rootfs").path)))
            }
        }
        return result
    }
}
