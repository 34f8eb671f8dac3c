import Foundation
import Testing
@testable import PkgTreeKit

/// `release verify` on a small release-shaped directory: signature, digests, unlisted files.
@Suite struct ReleaseVerificationTests {
    /// Two files, their SHA256SUMS (as `sha256sum` writes it), signed by `key`.
    static func release(signedBy key: SigningKey) async throws -> URL {
        let fixture = try ArchiveFixture()
        try fixture.write("release/release.json", "{}\n")
        try fixture.write("release/aarch64/x.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\"}\n")
        let directory = fixture.url("release")
        let sums = try await ArchiveFixture.run(["sha256sum", "release.json", "aarch64/x.spdx.json"], in: directory)
        try Data(sums.utf8).write(to: directory.appendingPathComponent(ReleaseWriter.checksumsName))
        try ReleaseSignature.sign(directory, with: key)
        return directory
    }

    @Test func anIntactSignedReleaseVerifiesWithItsKey() async throws {
        let key = SigningKey.generate(name: "release.test-1")
        let directory = try await Self.release(signedBy: key)
        let result = try ReleaseVerification.verify(directory, trusted: [SigningKey.generate(name: "other").publicKey, key.publicKey])
        #expect(result.failures.isEmpty && result.checked == 2 && result.signer?.name == "release.test-1")
        #expect(try Data(contentsOf: directory.appendingPathComponent(ReleaseSignature.fileName)).count == 64)
    }

    @Test func aChangedFileAnUnlistedFileAndAnotherKeyAreEachReported() async throws {
        let directory = try await Self.release(signedBy: SigningKey.generate(name: "release.test-1"))
        try Data("{\"changed\": true}\n".utf8).write(to: directory.appendingPathComponent("release.json"))
        try Data("extra\n".utf8).write(to: directory.appendingPathComponent("aarch64/extra.txt"))
        let result = try ReleaseVerification.verify(directory, trusted: [SigningKey.generate(name: "stranger").publicKey])
        #expect(result.signer == nil)
        #expect(result.failures.contains { $0.hasPrefix("SHA256SUMS.sig: not a signature") && $0.contains("stranger") })
        #expect(result.failures.contains { $0.hasPrefix("release.json: digest ") })
        #expect(result.failures.contains("aarch64/extra.txt: not listed in SHA256SUMS"))
        #expect(result.failures.count == 3)
    }

    @Test func aChangedChecksumsFileBreaksTheSignature() async throws {
        let key = SigningKey.generate(name: "release.test-1")
        let directory = try await Self.release(signedBy: key)
        let sums = directory.appendingPathComponent(ReleaseWriter.checksumsName)
        try (try Data(contentsOf: sums) + Data("\n".utf8)).write(to: sums)
        let result = try ReleaseVerification.verify(directory, trusted: [key.publicKey])
        #expect(result.signer == nil && result.failures.count == 1)
    }
}
