import Foundation
import Glibc

/// The one way a file or directory tree becomes visible at its place: written under a
/// `TemporaryName` on the destination's file system (the cache's `tmp/`, or hidden beside the
/// destination), fsynced (the file, or the tree's file system), renamed into place, and the
/// parent directory fsynced. A process killed at any moment leaves either nothing at the
/// destination or the whole of it — at worst a staged leftover that the owner's cleanup
/// (`CacheRepair` for `tmp/`) recognises by its name. The caller holds the owner's lock when
/// two processes could publish the same destination.
struct StagedPublish {
    /// What a rename does to something already at the destination.
    enum Existing {
        /// Replaced atomically (a file, or an empty directory).
        case replace
        /// Kept, and the staged copy dropped: whatever is there is as good.
        case keep
    }

    let destination: URL
    let staging: URL
    let existing: Existing
    /// What is published, for errors ("artifact", "download").
    let what: String

    /// Stages in `directory` (the cache's `tmp/`), which must be on the destination's file system.
    init(_ destination: URL, what: String, stagingIn directory: URL, owner: String, existing: Existing = .replace) {
        self.init(destination, what: what, staging: directory.child(TemporaryName.make(for: owner)), existing: existing)
    }

    /// Stages beside the destination, under a hidden name.
    init(_ destination: URL, what: String, besideOwnedBy owner: String, existing: Existing = .replace) {
        self.init(destination, what: what, staging: destination.deletingLastPathComponent().child(TemporaryName.hidden(for: owner)),
                  existing: existing)
    }

    private init(_ destination: URL, what: String, staging: URL, existing: Existing) {
        self.destination = destination
        self.staging = staging
        self.existing = existing
        self.what = what
    }

    /// Runs `write` on the staging URL (nothing is there yet; it must leave a complete file or
    /// directory, or throw), then publishes what it left. Returns what `write` returned. A
    /// throw anywhere leaves nothing new at the destination and no staged copy.
    func publish<Value>(_ write: (URL) throws -> Value) throws -> Value {
        try prepare()
        defer { ScratchRemoval.remove(staging) }
        let value = try write(staging)
        try place()
        return value
    }

    /// `publish` for a writer that awaits (a download, a clone, a tool).
    func publish<Value>(_ write: (URL) async throws -> Value) async throws -> Value {
        try prepare()
        defer { ScratchRemoval.remove(staging) }
        let value = try await write(staging)
        try place()
        return value
    }

    /// Removes what a killed process staged in `directory` (hidden names beside destinations)
    /// for an owner, picked by `isLeftover`. Only for a caller holding that owner's lock: then
    /// nobody else can be staging under its name.
    static func removeLeftovers(in directory: URL, where isLeftover: (String) -> Bool) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where isLeftover(name) {
            ScratchRemoval.remove(directory.child(name))
        }
    }

    private func prepare() throws {
        try FileManager.default.createDirectory(at: staging.deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    /// fsync, rename, fsync the parent. Should the last fsync fail, the published copy is
    /// taken away again: nothing stays visible whose durability is unknown.
    private func place() throws {
        try sync()
        // Only now: a write that fails leaves not even the destination's directory behind.
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard try rename() else { return }
        do {
            try Durability.syncDirectory(destination.deletingLastPathComponent())
        } catch {
            ScratchRemoval.remove(destination)
            throw error
        }
    }

    private func sync() throws {
        switch FileStatus.of(staging.path)?.kind {
        case .regular: try Durability.syncFile(staging)
        case .directory: try Durability.syncTree(staging)
        case nil: throw UserFacingError("moving the \(what) into place", path: staging, "the staged \(what) disappeared before it was published")
        default: break
        }
    }

    /// Whether the staged copy went into place (false: `.keep` found one there).
    private func rename() throws -> Bool {
        switch existing {
        case .replace:
            guard Glibc.rename(staging.path, destination.path) == 0 else { throw failure(errno) }
        case .keep where FileStatus.of(staging.path)?.kind == .directory:
            // A rename never replaces a directory that has entries (and an empty one is no
            // published tree): ENOTEMPTY or EEXIST means one is there.
            if Glibc.rename(staging.path, destination.path) != 0 {
                guard errno == ENOTEMPTY || errno == EEXIST else { throw failure(errno) }
                return false
            }
        case .keep:
            // `link` never replaces: the staged name goes either way.
            if link(staging.path, destination.path) != 0 {
                guard errno == EEXIST else { throw failure(errno) }
                return false
            }
        }
        return true
    }

    private func failure(_ code: Int32) -> UserFacingError {
        UserFacingError("moving the \(what) into place", path: destination, code: code)
    }
}
