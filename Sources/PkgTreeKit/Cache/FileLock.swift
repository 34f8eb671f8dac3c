import Foundation
import Glibc
import Synchronization

/// An advisory lock on a file (`flock`), exclusive unless asked shared, held until `unlock` or
/// process exit. The kernel drops it when a process dies, so a killed build never leaves a
/// stale lock behind.
final class FileLock: Sendable {
    /// -1 once unlocked. Behind a mutex so that a lock taken by one task can be kept, and
    /// released, by whichever holds it (a run's hold on the unpacked copies).
    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// Waits until the lock is free, then takes it, without holding a thread meanwhile: it
    /// tries without blocking and sleeps between tries (a few milliseconds at first, up to
    /// `longestPause`), so a build that waits for another process's lock does not stall, on a
    /// two-core pool, the tasks of this process that could run — among them, maybe, the
    /// holder. A cancelled task (SIGINT) stops waiting. The lock file's directory is made.
    /// `shared`: held alongside other shared holders, never alongside an exclusive one.
    static func acquire(_ url: URL, shared: Bool = false) async throws -> FileLock {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var pause = Duration.milliseconds(2)
        while true {
            if let lock = try tryAcquire(url, shared: shared) { return lock }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, longestPause)
        }
    }

    /// The longest sleep between two tries: how late, at worst, a waiter notices a release.
    static let longestPause = Duration.milliseconds(100)

    /// Takes the lock only if nobody holds it (gc and repair pass over what is in use; damage
    /// found in an open index is moved aside only when no other process is healing it).
    static func tryAcquire(_ url: URL, shared: Bool = false) throws -> FileLock? {
        let descriptor = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw UserFacingError("opening the lock file", path: url, code: errno)
        }
        while flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw UserFacingError("taking the lock", path: url, code: code)
        }
        return FileLock(descriptor: descriptor)
    }

    func unlock() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { unlock() }
}
