import Crypto
import Foundation

/// SHA-256 of a file of any size, read in blocks (artifacts can be gigabytes).
enum FileHasher {
    static func sha256(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            hasher.update(data: block)
        }
        return hasher.finalize().hexString
    }
}

extension FileHasher {
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
