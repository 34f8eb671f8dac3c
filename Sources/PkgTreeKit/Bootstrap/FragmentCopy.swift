import Crypto
import Foundation

/// Appends fragment files to a bootstrap being assembled: each read once, in 1 MiB blocks
/// (constant memory whatever its size), and hashed on the way, so a fragment whose bytes are
/// not the ones its row records is never left in a bootstrap (`Mismatch`: the caller discards
/// the fragment and writes the bootstrap again).
enum FragmentCopy {
    /// A fragment that did not hold what its row says: missing, or other bytes.
    struct Mismatch: Error, CustomStringConvertible {
        var record: FragmentRecord
        var reason: String

        var description: String { "\(record.path): \(reason)" }
    }

    static func append(_ records: [FragmentRecord], cache: CacheLayout, to destination: URL) throws {
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        try output.seekToEnd()
        for record in records {
            try append(record, from: cache.url(ofRelativePath: record.path), to: output)
        }
    }

    private static func append(_ record: FragmentRecord, from source: URL, to output: FileHandle) throws {
        guard let input = try? FileHandle(forReadingFrom: source) else {
            throw Mismatch(record: record, reason: "the bootstrap fragment is missing")
        }
        defer { try? input.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
            hasher.update(data: block)
            size += Int64(block.count)
            try output.write(contentsOf: block)
        }
        let digest = hasher.finalize().hexString
        guard size == record.size, digest == record.sha256 else {
            throw Mismatch(record: record, reason: "the bootstrap fragment was corrupted (\(size) bytes with sha256 \(digest), the index says \(record.size) bytes with sha256 \(record.sha256))")
        }
    }
}
