import Foundation

/// `pkgtree release verify`: a release directory checked as its consumer would, with nothing
/// but the release and the public key: the signature of `SHA256SUMS` by a trusted key, every
/// file it lists with that digest, and no file it does not list.
public struct ReleaseVerification: Sendable {
    /// The key that signed `SHA256SUMS`; nil when no key was given to check it with.
    public var signer: TrustedKey?
    /// Files whose digest matched.
    public var checked: Int
    /// What is wrong, one line each; empty when the release is intact.
    public var failures: [String]

    /// Verifies `directory`; with `trusted` empty the signature is not checked.
    public static func verify(_ directory: URL, trusted: [TrustedKey]) throws -> ReleaseVerification {
        let sumsFile = directory.child(ReleaseWriter.checksumsName)
        guard let text = try? String(contentsOf: sumsFile, encoding: .utf8) else {
            throw UserFacingError("verifying the release", path: sumsFile, "cannot be read",
                                  remedy: "name a release directory written by `pkgtree release create`", cause: .badInput)
        }
        var result = ReleaseVerification(signer: nil, checked: 0, failures: [])
        if !trusted.isEmpty {
            result.signer = try ReleaseSignature.signer(of: directory, among: trusted)
            if result.signer == nil {
                result.failures.append("\(ReleaseSignature.fileName): not a signature of \(ReleaseWriter.checksumsName) by any trusted key (\(trusted.map(\.name).joined(separator: ", ")))")
            }
        }
        var listed: Set<String> = [ReleaseWriter.checksumsName, ReleaseSignature.fileName]
        for line in text.split(separator: "\n") {
            guard line.count > 66, case let (hex, path) = (String(line.prefix(64)), String(line.dropFirst(66))) else {
                result.failures.append("\(ReleaseWriter.checksumsName): malformed line '\(line.prefix(100))'")
                continue
            }
            listed.insert(path)
            let file = directory.child(path)
            guard FileStatus.of(file.path)?.kind == .regular else {
                result.failures.append("\(path): missing")
                continue
            }
            let actual = try FileHasher.sha256(file)
            if actual == hex { result.checked += 1 } else { result.failures.append("\(path): digest \(actual), SHA256SUMS says \(hex)") }
        }
        let walker = FileManager.default.enumerator(atPath: directory.path)
        while let path = walker?.nextObject() as? String {
            if FileStatus.of(directory.child(path).path)?.kind != .directory, !listed.contains(path) {
                result.failures.append("\(path): not listed in \(ReleaseWriter.checksumsName)")
            }
        }
        return result
    }
}
