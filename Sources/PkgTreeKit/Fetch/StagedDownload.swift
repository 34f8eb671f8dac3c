import Foundation

/// A download being written to `cache/tmp/`, digested as it is written. It becomes a cache
/// entry only through `SourceStore`, after its digest matched, by `StagedPublish`; until then
/// it is a staging leftover that `CacheRepair` removes if the process dies.
final class StagedDownload {
    let url: URL
    private let handle: FileHandle
    private var digest: SourceDigest
    private(set) var byteCount: Int64 = 0

    init(at url: URL, digesting checksum: Checksum) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw UserFacingError("creating the staging file of a download", path: url, code: errno)
        }
        self.url = url
        handle = try FileHandle(forWritingTo: url)
        digest = SourceDigest(for: checksum)
    }

    deinit { try? handle.close() }

    func write(_ data: Data) throws {
        try handle.write(contentsOf: data)
        digest.update(data)
        byteCount += Int64(data.count)
    }

    /// Closes the file (`StagedPublish` fsyncs it) and returns what its bytes digest to.
    func finish() throws -> Checksum {
        try handle.close()
        return digest.finalize()
    }
}
