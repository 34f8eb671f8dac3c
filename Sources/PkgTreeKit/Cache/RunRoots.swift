import Foundation

/// The artifacts that running builds need, which `cache gc` leaves in place (Nix's temporary
/// roots, in pkgtree's cache). A run registers the ids of its plans in
/// `locks/runs/<uuid>.ids` and keeps that file locked until it ends — the kernel drops the lock
/// when the process dies. gc keeps every id a locked file names; a file it can lock belongs to a
/// run that is over, and goes.
///
/// `locks/runs.lock` orders the two: gc holds it exclusively from reading the roots to its last
/// removal, a run holds it shared while registering and then looks again which of its ids are
/// cached (`BuildSession`). So every gc either ended before that look, which sees what it
/// removed, or read the run's roots. Without this a build planned while its dependencies were
/// cached failed later with "is required but not in the cache", once a `gc --keep-last` had
/// taken one it had not unpacked yet.
public final class RunRoots: Sendable {
    private let file: URL
    private let lock: FileLock

    private init(file: URL, lock: FileLock) {
        self.file = file
        self.lock = lock
    }

    /// Registers `ids` as needed until the value is released (or the process exits).
    static func register(_ ids: some Sequence<String>, _ layout: CacheLayout) async throws -> RunRoots {
        let order = try await FileLock.acquire(layout.runRootsLock, shared: true)
        defer { order.unlock() }
        try FileManager.default.createDirectory(at: layout.runRoots, withIntermediateDirectories: true)
        let file = layout.runRoots.child("\(UUID().uuidString).ids")
        // Locked before it names anything: gc never takes a file being written for a dead run's.
        guard let lock = try FileLock.tryAcquire(file) else {
            preconditionFailure("a fresh UUID's roots file is locked by someone else")
        }
        do {
            // Into the locked inode itself: an atomic write would replace it with an unlocked one.
            try UserFacingError.during("registering the packages this build needs", at: file, alternative: CacheLayout.alternative) {
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                try handle.write(contentsOf: Data(Set(ids).sorted().map { $0 + "\n" }.joined().utf8))
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return RunRoots(file: file, lock: lock)
    }

    /// Runs `body` with the ids every live run needs, holding off new registrations until it
    /// returns; removes the roots files of runs that are over.
    static func whileCollecting<Value>(_ layout: CacheLayout, _ body: (Set<String>) throws -> Value) async throws -> Value {
        let order = try await FileLock.acquire(layout.runRootsLock)
        defer { order.unlock() }
        return try body(try liveIDs(layout))
    }

    /// Removes the roots files of killed runs, when no gc or registration is under way (cache
    /// repair, on every open: otherwise they would stay until the next gc).
    static func removeOver(_ layout: CacheLayout) throws {
        guard FileStatus.of(layout.runRoots.path) != nil, let order = try FileLock.tryAcquire(layout.runRootsLock) else { return }
        defer { order.unlock() }
        _ = try liveIDs(layout)
    }

    /// The ids named by locked roots files; the others are removed. For a holder of the order.
    private static func liveIDs(_ layout: CacheLayout) throws -> Set<String> {
        var live = Set<String>()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.runRoots.path)) ?? []
        for name in names where name.hasSuffix(".ids") {
            let file = layout.runRoots.child(name)
            if let over = try FileLock.tryAcquire(file) {
                // Nobody waits on a roots file (only its run ever locked it): unlinking is safe.
                try? FileManager.default.removeItem(at: file)
                over.unlock()
                continue
            }
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            live.formUnion(text.split(separator: "\n").map(String.init))
        }
        return live
    }

    deinit {
        try? FileManager.default.removeItem(at: file)
        lock.unlock()
    }
}
