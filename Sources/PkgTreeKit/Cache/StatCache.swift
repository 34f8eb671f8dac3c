import Foundation

/// The stat cache: (path, device, inode, size, mtime) -> content digest, loaded from the index
/// once and consulted for every local input the resolver hashes, as git's index avoids
/// re-reading unchanged files. A file whose mtime is within `racyWindow` of now is hashed but
/// not remembered: a second write in the same timestamp tick could otherwise go unseen.
public final class StatCache: FileDigestCache, @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: StatCacheRecord]
    private var learned: [String: StatCacheRecord] = [:]
    private(set) var misses = 0
    static let racyWindowNanoseconds: Int64 = 2_000_000_000

    init(records: [StatCacheRecord]) {
        known = Dictionary(records.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// An empty cache that remembers what this run hashes.
    public convenience init() {
        self.init(records: [])
    }

    /// The stat cache stored in `index`.
    public convenience init(index: CacheIndex) throws {
        self.init(records: try index.statCacheRecords())
    }

    /// The digest of the file at `path`, from the cache when its status is unchanged.
    func digest(of path: String, status: FileStatus, compute: () throws -> String) rethrows -> String {
        let cached: String? = lock.withLock {
            guard let record = known[path] ?? learned[path], record.matches(status) else { return nil }
            return record.sha256
        }
        if let cached { return cached }
        let digest = try compute()
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        lock.withLock {
            misses += 1
            if now - status.modificationNanoseconds > Self.racyWindowNanoseconds {
                learned[path] = StatCacheRecord(path: path, status: status, sha256: digest)
            }
        }
        return digest
    }

    /// Files hashed from their contents in this run (0 on a no-op run over an unchanged tree).
    public var filesRead: Int { lock.withLock { misses } }

    /// Writes what this run learned into the index.
    public func save(to index: CacheIndex) throws {
        let records = lock.withLock { Array(learned.values) }
        try index.saveStatCache(records)
    }
}

extension StatCacheRecord {
    init(path: String, status: FileStatus, sha256: String) {
        self.init(path: path, device: Int64(bitPattern: status.device), inode: Int64(bitPattern: status.inode),
                  size: status.size, mtimeNanoseconds: status.modificationNanoseconds, sha256: sha256)
    }

    func matches(_ status: FileStatus) -> Bool {
        device == Int64(bitPattern: status.device) && inode == Int64(bitPattern: status.inode)
            && size == status.size && mtimeNanoseconds == status.modificationNanoseconds
    }
}
