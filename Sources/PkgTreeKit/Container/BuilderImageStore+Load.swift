import Foundation

extension BuilderImageStore {
    /// The engine image of `identity` (`localhost/pkgtree/builder-<arch>:<id>`), loaded when
    /// the engine lacks it or has it for another platform: `write` makes the image archive
    /// (`ImageArchive`) at the URL it is given, in a scratch directory of its own, which is
    /// then loaded and removed. One load per image across processes (and builds of one
    /// process). Throws `RunnerUnusable` when the engine cannot load it; `what` names the image
    /// in messages. `ownConfig`: `write` makes the config, with its history (see `hasImage`).
    func loadedEngineImage(_ identity: BuilderIdentity, engine: EngineRunner, what: String, ownConfig: Bool = false,
                           announce: (String) -> Void, write: (URL) async throws -> Void) async throws -> String {
        let arch = identity.platform
        let reference = Self.reference(identity, arch: arch)
        if try await engine.hasImage(reference, for: arch, withHistory: ownConfig) { return reference }
        let lockID = "image-\(arch.rawValue)-\(Self.imageID(identity))-\(engine.kind.rawValue)"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if try await engine.hasImage(reference, for: arch, withHistory: ownConfig) { return reference }
        let scratch = layout.tmp.child(TemporaryName.make(for: lockID))
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { ScratchRemoval.remove(scratch) }
        let archive = scratch.child("image.tar")
        try await write(archive)
        let started = ContinuousClock.now
        let loaded = try await ToolRunner.capture(engine.loadCommand(archive: archive.path))
        guard loaded.status == 0 else {
            throw RunnerUnusable(Problem(field: "--runner", "\(engine.kind.rawValue) could not load \(what): \(loaded.output.trimmingCharacters(in: .whitespacesAndNewlines))",
                                         hint: "check that `\(engine.probeCommand)` works"))
        }
        announce("loaded \(what) into \(engine.kind.rawValue) as \(reference) in \((ContinuousClock.now - started).secondsText)")
        return reference
    }
}
