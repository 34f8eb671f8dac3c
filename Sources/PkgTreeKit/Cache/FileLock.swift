import Foundation
import Glibc

/// An exclusive advisory lock on a file (`flock`), held until `unlock` or process exit. The
/// kernel drops it when a process dies, so a killed build never leaves a stale lock behind.
final class FileLock {
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Waits until the lock is free, then takes it.
    static func acquire(_ url: URL) throws -> FileLock {
        try open(url, operation: LOCK_EX)!
    }

    /// Waits until the lock is free, then takes it, without holding a thread meanwhile (it
    /// tries again every `interval`): a build that waits for another process's lock must not
    /// stall, on a two-core pool, the builds of this process that could run. A cancelled task
    /// (SIGINT) stops waiting.
    static func acquire(_ url: URL, polling interval: Duration) async throws -> FileLock {
        while true {
            if let lock = try tryAcquire(url) { return lock }
            try await Task.sleep(for: interval)
        }
    }

    /// Takes the lock only if nobody holds it.
    static func tryAcquire(_ url: URL) throws -> FileLock? {
        try open(url, operation: LOCK_EX | LOCK_NB)
    }

    private static func open(_ url: URL, operation: Int32) throws -> FileLock? {
        let descriptor = Glibc.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw UserFacingError("opening the lock file", path: url, code: errno)
        }
        while flock(descriptor, operation) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw UserFacingError("taking the lock", path: url, code: code)
        }
        return FileLock(descriptor: descriptor)
    }

    func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
