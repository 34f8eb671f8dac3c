import Crypto
import Foundation

/// The running digest of a source being downloaded, in the algorithm its checksum uses, so
/// the bytes are verified as they arrive instead of being read back from disk.
struct SourceDigest {
    private var sha256: SHA256?
    private var sha1: Insecure.SHA1?

    init(for checksum: Checksum) {
        switch checksum {
        case .sha256: sha256 = SHA256()
        case .sha1: sha1 = Insecure.SHA1()  // legacy pkgpanda trees pin sha1
        }
    }

    mutating func update(_ data: Data) {
        sha256?.update(data: data)
        sha1?.update(data: data)
    }

    /// The digest as a checksum of the same algorithm, to compare with (and print beside) the
    /// expected one.
    func finalize() -> Checksum {
        if let sha1 { return .sha1(sha1.finalize().hexString) }
        return .sha256(sha256!.finalize().hexString)
    }
}

extension Checksum {
    /// `sha256 <hex>`, as messages print it.
    var display: String { "\(algorithm) \(hex)" }
}
