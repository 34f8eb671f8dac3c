import Foundation

/// Takes a cache lock (`FileLock`) without blocking a thread of the concurrency pool: a build
/// fetching many sources at once would otherwise park the pool's few threads in `flock` while
/// the holder waits for one of them to finish its download.
enum FetchLock {
    static func acquire(_ url: URL) async throws -> FileLock {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        while true {
            if let lock = try FileLock.tryAcquire(url) { return lock }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
