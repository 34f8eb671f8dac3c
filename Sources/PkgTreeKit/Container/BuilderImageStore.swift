import Crypto
import Foundation

/// Builder images: a recipe (Debian suite + packages) becomes a root filesystem tarball through
/// mmdebstrap, kept in `cache/images/<arch>/<image-id>/`, then imported into podman/docker or
/// unpacked for bwrap; a Dockerfile directory is built on one; a registry image is pulled
/// (`BuilderImageStore+Registry`). The image id is the identity's digest, the same identity
/// that package ids hash, so an image is made once per identity and architecture.
public struct BuilderImageStore: Sendable {
    public let layout: CacheLayout
    /// TLS toward the registries builder images are pulled from.
    public let registries: BuilderRegistries

    public init(layout: CacheLayout, registries: BuilderRegistries = BuilderRegistries()) {
        self.layout = layout
        self.registries = registries
    }

    /// The identity's id: its digest (a pinned image's without `sha256:`), shortened.
    public static func imageID(_ identity: BuilderIdentity) -> String {
        let digest = identity.digest
        return String((digest.hasPrefix("sha256:") ? digest.dropFirst("sha256:".count) : Substring(digest)).prefix(24))
    }

    public func directory(_ identity: BuilderIdentity, arch: Architecture) -> URL {
        layout.images.child("\(arch.rawValue)/\(Self.imageID(identity))")
    }

    /// Where the root filesystem of `recipe` is kept: named for what makes it (the suite,
    /// packages and setup), so recipes that differ only in their environment share it. For a
    /// recipe without environment or setup, the image's own directory.
    func recipeDirectory(_ recipe: BuilderRecipe, arch: Architecture) -> URL {
        layout.images.child("\(arch.rawValue)/\(recipe.digest(arch: arch, of: .rootfs).prefix(24))")
    }

    /// The engine image name of a recipe-built image.
    public static func reference(_ identity: BuilderIdentity, arch: Architecture) -> String {
        "localhost/pkgtree/builder-\(arch.rawValue):\(imageID(identity))"
    }

    /// The rootfs tarball of `recipe` for `arch`, made with mmdebstrap when missing.
    /// `announce` is told before the (minutes long) creation starts.
    public func rootfsTarball(_ recipe: BuilderRecipe, arch: Architecture, announce: (String) -> Void) async throws -> URL {
        let directory = recipeDirectory(recipe, arch: arch)
        let tarball = directory.child("rootfs.tar")
        if FileStatus.of(tarball.path)?.kind == .regular { return tarball }
        // One mmdebstrap per image across processes; the lock also keeps the staging file
        // safe from another process's repair of tmp/.
        let lockID = "image-\(arch.rawValue)-\(directory.lastPathComponent)-tar"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.of(tarball.path)?.kind == .regular { return tarball }
        guard ToolRunner.isInstalled("mmdebstrap") else {
            throw Problems([Problem(field: "default_builder", "making the builder image needs mmdebstrap, which is not installed",
                                    hint: "apt-get install mmdebstrap (scripts/setup.sh installs it)")])
        }
        try Binfmt.require(arch, for: "making the \(arch) builder image")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.child("mmdebstrap.log")
        let setup = recipe.setup.isEmpty ? "" : ", then \(recipe.setup.count) setup command(s)"
        announce("making the \(arch) builder image (Debian \(recipe.suite), \(recipe.packages.count) packages\(setup)) with mmdebstrap, once; log: \(log.path)")
        // No mirror is named: mmdebstrap's default (the host's apt sources) is used.
        var arguments = ["--arch=\(arch.debianArch)", "--variant=apt", "--format=tar"]
        if !recipe.packages.isEmpty { arguments.append("--include=\(recipe.packages.joined(separator: ","))") }
        // Kept beside the log: what ran in the image.
        let script = directory.child("setup.sh")
        if !recipe.setup.isEmpty {
            try Data(RecipeSetup.script(recipe).utf8).write(to: script)
            arguments.append("--customize-hook=\(RecipeSetup.hook(script: script.path))")
        }
        try? FileManager.default.removeItem(at: log)  // an earlier attempt's, which would mislead
        try await StagedPublish(tarball, what: "builder image", stagingIn: layout.tmp, owner: lockID, existing: .keep).publish { staging in
            let command = ToolCommand("mmdebstrap", arguments + [recipe.suite, staging.path])
            let status = try await ToolRunner.run(command, log: log)
            guard status == 0 else {
                let failedSetup = RecipeSetup.failedCommand(log: log, recipe: recipe)
                throw Problems([Problem(field: failedSetup.map { "default_builder.setup[\($0)]" } ?? "default_builder",
                                        failedSetup.map { "the setup command `\(recipe.setup[$0])` failed making the \(arch) builder image" }
                                            ?? "mmdebstrap failed (exit \(status)) making the \(arch) builder image",
                                        hint: "see \(log.path); the command was: \(command)")])
            }
        }
        return tarball
    }

    /// The unpacked root filesystem for bwrap. The tarball is our own mmdebstrap output, so the
    /// system tar unpacks it with owners and special files intact (the archive layer's safe
    /// extraction refuses those on purpose).
    public func rootfsDirectory(_ recipe: BuilderRecipe, arch: Architecture, announce: (String) -> Void) async throws -> URL {
        let directory = recipeDirectory(recipe, arch: arch)
        let rootfs = directory.child("rootfs")
        if FileStatus.isDirectory(rootfs.path) { return rootfs }
        let tarball = try await rootfsTarball(recipe, arch: arch, announce: announce)
        let lockID = "image-\(arch.rawValue)-\(directory.lastPathComponent)-rootfs"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.isDirectory(rootfs.path) { return rootfs }
        try await StagedPublish(rootfs, what: "builder root filesystem", stagingIn: layout.tmp, owner: lockID, existing: .keep).publish {
            try await Self.unpack(tarball, into: $0)
        }
        return rootfs
    }

    /// Unpacks a root filesystem tarball pkgtree made (mmdebstrap's, or an engine's export) into
    /// the new directory `destination` with the system tar, owners and special files intact;
    /// `dev/` stays empty (bwrap mounts its own).
    static func unpack(_ tarball: URL, into destination: URL) async throws {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let unpack = try await ToolRunner.capture(ToolCommand("tar", ["-xpf", tarball.path, "-C", destination.path, "--numeric-owner",
                                                                      "--exclude=./dev/*", "--exclude=dev/*"]))
        guard unpack.status == 0 else {
            throw IOError(tarball.path, "cannot be unpacked: \(unpack.output)")
        }
    }

    /// The engine image for `recipe`, loaded from the tarball when the engine lacks it or has
    /// it for another platform (as `docker import` left it before). Throws `RunnerUnusable`
    /// when the engine cannot load it.
    public func engineImage(_ recipe: BuilderRecipe, arch: Architecture, engine: EngineRunner,
                            announce: (String) -> Void) async throws -> String {
        try await loadedEngineImage(.recipe(recipe, arch: arch), engine: engine, what: "the \(arch) builder image", ownConfig: true,
                                    announce: announce) { archive in
            let tarball = try await rootfsTarball(recipe, arch: arch, announce: announce)
            announce("loading the \(arch) builder image into \(engine.kind.rawValue)")
            let environment = recipe.environment.isEmpty ? [] : ImageConfig.recipe(recipe).environmentLines
            try ImageArchive.write(rootfs: tarball, reference: Self.reference(.recipe(recipe, arch: arch), arch: arch),
                                   platform: arch.imagePlatform, environment: environment, to: archive)
        }
    }

    /// Every image made so far: architecture, id, what exists of it, and the reference a
    /// registry image was pulled from.
    public func list() -> [(arch: String, id: String, tarball: Bool, rootfs: Bool, pulledFrom: String?)] {
        let manager = FileManager.default
        var result: [(String, String, Bool, Bool, String?)] = []
        for arch in ((try? manager.contentsOfDirectory(atPath: layout.images.path)) ?? []).sorted() {
            let archDirectory = layout.images.child(arch)
            for id in ((try? manager.contentsOfDirectory(atPath: archDirectory.path)) ?? []).sorted() {
                let directory = archDirectory.child(id)
                let pulled = (try? JSONFile.read(directory.child("image.json"), displayPath: id))?.objectValue?["reference"]?.stringValue
                result.append((arch, id, FileStatus.of(directory.child("rootfs.tar").path) != nil,
                               FileStatus.isDirectory(directory.child("rootfs").path), pulled))
            }
        }
        return result
    }
}
