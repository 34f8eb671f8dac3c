import Foundation

/// `SHA256SUMS.sig`: the detached Ed25519 signature of `SHA256SUMS` by the release key (a key
/// pair from `pkgtree key generate`), as the 64 raw bytes that `openssl pkeyutl -verify
/// -rawin -sigfile` reads. Since `SHA256SUMS` lists every other file of the release, the one
/// signature covers the release (docs/release.md says how to check it with openssl).
public enum ReleaseSignature {
    public static let fileName = "SHA256SUMS.sig"
    public static let mediaType = "application/vnd.pkgtree.signature.ed25519"

    /// Signs the `SHA256SUMS` of `directory`, writing the signature beside it (atomically).
    static func sign(_ directory: URL, with key: SigningKey) throws {
        let checksums = try Data(contentsOf: directory.child(ReleaseWriter.checksumsName))
        try key.signature(for: checksums).write(to: directory.child(fileName), options: .atomic)
    }

    /// Which of `trusted` signed the `SHA256SUMS` of `directory`: the key, nil when none did,
    /// or a problem when there is no signature to check.
    static func signer(of directory: URL, among trusted: [TrustedKey]) throws -> TrustedKey? {
        let file = directory.child(fileName)
        guard let signature = try? Data(contentsOf: file) else {
            throw UserFacingError("verifying the release", path: file, "is missing: the release is not signed",
                                  remedy: "sign releases with `pkgtree release create --sign-key FILE`", cause: .failedWork)
        }
        let checksums = try Data(contentsOf: directory.child(ReleaseWriter.checksumsName))
        return trusted.first { $0.isValidSignature(signature, for: checksums) }
    }
}
