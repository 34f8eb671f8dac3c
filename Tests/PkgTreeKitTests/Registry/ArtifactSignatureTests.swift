import Foundation
@testable import PkgTreeKit
import RegistryTestSupport
import Testing

/// Signatures hold for exactly (id, arch, sha256), only with a trusted key, and any Ed25519
/// tool can check them (openssl here, as docs/registry.md shows).
struct ArtifactSignatureTests {
    static let statement = ArtifactStatement(id: "zlib--\(String(repeating: "ab", count: 20))", arch: .aarch64,
                                             digest: "sha256:" + String(repeating: "0f", count: 32))

    @Test func aSignatureHoldsForItsStatementAndATrustedKeyOnly() throws {
        let key = SigningKey.generate(name: "ci.example-1")
        let signature = try key.sign(Self.statement)
        #expect(signature.hasPrefix("ci.example-1:"))
        #expect(SignatureCheck.failure(signature, Self.statement, trusted: [key.publicKey]) == nil)

        var changed = Self.statement
        changed.arch = .x86_64
        #expect(SignatureCheck.failure(signature, changed, trusted: [key.publicKey])?.contains("does not match") == true)
        changed = Self.statement
        changed.digest = "sha256:" + String(repeating: "0e", count: 32)
        #expect(SignatureCheck.failure(signature, changed, trusted: [key.publicKey])?.contains("does not match") == true)

        let stranger = SigningKey.generate(name: "laptop")
        #expect(SignatureCheck.failure(signature, Self.statement, trusted: [stranger.publicKey])?.contains("not among the trusted_keys (laptop)") == true)
        let impostor = SigningKey.generate(name: "ci.example-1")
        #expect(SignatureCheck.failure(signature, Self.statement, trusted: [impostor.publicKey])?.contains("does not match") == true)
        #expect(SignatureCheck.failure(signature, Self.statement, trusted: [])?.contains("no trusted_keys") == true)
        #expect(SignatureCheck.failure(nil, Self.statement, trusted: [key.publicKey]) == "it carries no signature")
        #expect(SignatureCheck.failure("ci.example-1:bm90IGEgc2ln", Self.statement, trusted: [key.publicKey])?.contains("malformed") == true)
    }

    @Test func aKeyPairIsWrittenOnceAndReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-keys-\(UUID().uuidString)")
        let key = SigningKey.generate(name: "ci-1")
        let secret = directory.appendingPathComponent("ci-1.key"), shared = directory.appendingPathComponent("ci-1.pub")
        try key.write(secret: secret, public: shared)
        let mode = try FileManager.default.attributesOfItem(atPath: secret.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let read = try SigningKey.read(secret)
        #expect(read.publicKey == key.publicKey)
        let trusted = try TrustedKey(parsing: try String(contentsOf: shared, encoding: .utf8).trimmingCharacters(in: .newlines), source: "test")
        #expect(SignatureCheck.failure(try read.sign(Self.statement), Self.statement, trusted: [trusted]) == nil)
        #expect(throws: Problems.self) { try key.write(secret: secret, public: directory.appendingPathComponent("other.pub")) }
        #expect(throws: Problems.self) { try TrustedKey(parsing: "ci-1:c2hvcnQ=", source: "test") }
    }

    /// openssl checks a signature with nothing of pkgtree's: the public key as DER
    /// (SubjectPublicKeyInfo: a fixed 12-byte prefix, then the 32 bytes) and the statement's lines.
    @Test func opensslVerifiesASignatureFromThePublicKeyAndTheStatementAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = SigningKey.generate(name: "ci-1")
        let signature = try key.sign(Self.statement)
        let (_, signatureBytes) = try #require(KeyText.parse(signature, length: 64))
        let publicBytes = key.publicKey.key.rawRepresentation
        try (Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + publicBytes)
            .write(to: directory.appendingPathComponent("key.der"))
        try signatureBytes.write(to: directory.appendingPathComponent("signature"))
        let message = "pkgtree.package.v1\n\(Self.statement.id)\naarch64\n\(Self.statement.digest)\n"
        try Data(message.utf8).write(to: directory.appendingPathComponent("statement"))
        let verify = ["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", "key.der", "-rawin",
                      "-in", "statement", "-sigfile", "signature"]
        #expect(try await ArchiveFixture.run(verify, in: directory).contains("Signature Verified Successfully"))
        try Data(message.replacingOccurrences(of: "aarch64", with: "x86_64").utf8).write(to: directory.appendingPathComponent("statement"))
        await #expect(throws: ToolProcess.Failure.self) { try await ArchiveFixture.run(verify, in: directory) }
    }
}
