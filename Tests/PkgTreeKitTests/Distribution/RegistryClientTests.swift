import Crypto
import Foundation
@testable import PkgTreeKit
import RegistryTestSupport
import Testing

/// The OCI distribution client against a real registry (distribution 2.8 on loopback, TLS
/// from the test's CA): blobs stream both ways with their digest checked, manifests keep
/// their media type, and auth and TLS fail the way a user must be told about.
@Suite(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
struct RegistryClientTests {
    static func options(_ registry: TestRegistry, password: String? = nil) -> RegistryClient.Options {
        let credentials = registry.credentials.map {
            RegistryCredentials(user: $0.user, password: password ?? $0.password, source: "the test")
        }
        return .init(tls: RegistryTLS(certDirectory: registry.certificates.certDir), credentials: credentials)
    }

    static func randomFile(bytes: Int) throws -> (URL, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-blob-\(UUID().uuidString)")
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: file)
        return (file, "sha256:" + SHA256.hash(data: data).hexString)
    }

    static func withClient<T>(_ registry: TestRegistry, _ body: (RegistryClient) async throws -> T) async throws -> T {
        try await closing(try await RegistryClient.connect(registry.host, options: options(registry)), body)
    }

    /// Connecting with `options` fails as unauthorized, with a message containing `fragments`.
    static func expectUnauthorized(_ registry: TestRegistry, _ options: RegistryClient.Options, _ fragments: String...,
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        await #expect(sourceLocation: sourceLocation) {
            _ = try await RegistryClient.connect(registry.host, options: options)
        } throws: { error in
            guard case RegistryError.unauthorized(_, let message)? = error as? RegistryError else { return false }
            return fragments.allSatisfy(message.contains)
        }
    }

    @Test func aBlobGoesUpAndComesBackByteForByte() async throws {
        try await TestRegistry.with { registry in
            try await Self.withClient(registry) { client in
                let (file, digest) = try Self.randomFile(bytes: 3 << 20)
                #expect(try await client.blobSize("cache/x86_64", digest: digest) == nil)
                try await client.pushBlob("cache/x86_64", file: file, digest: digest, size: 3 << 20)
                #expect(try await client.blobSize("cache/x86_64", digest: digest) == 3 << 20)
                let copy = file.appendingPathExtension("pulled")
                try await client.pullBlob("cache/x86_64", digest: digest, size: 3 << 20, to: copy)
                #expect(try Data(contentsOf: copy) == Data(contentsOf: file))
                #expect(try Data(contentsOf: registry.blobFile(digest: digest)) == Data(contentsOf: file))
            }
        }
    }

    @Test func aBlobChangedInTheRegistrysStorageIsRefusedAndLeavesNoFile() async throws {
        try await TestRegistry.with { registry in
            try await Self.withClient(registry) { client in
                let (file, digest) = try Self.randomFile(bytes: 256 << 10)
                try await client.pushBlob("cache/x86_64", file: file, digest: digest, size: 256 << 10)
                var stored = try Data(contentsOf: registry.blobFile(digest: digest))
                stored[1000] ^= 0x01
                try stored.write(to: registry.blobFile(digest: digest))
                let copy = file.appendingPathExtension("pulled")
                await #expect {
                    try await client.pullBlob("cache/x86_64", digest: digest, size: 256 << 10, to: copy)
                } throws: { error in
                    guard case RegistryError.invalidContent(_, let message)? = error as? RegistryError else { return false }
                    return message.contains("arrived as 262144 bytes with digest sha256:")
                }
                #expect(!FileManager.default.fileExists(atPath: copy.path))
            }
        }
    }

    @Test func aBlobDigestTheUploadDoesNotMatchIsRejectedByTheRegistry() async throws {
        try await TestRegistry.with { registry in
            try await Self.withClient(registry) { client in
                let (file, _) = try Self.randomFile(bytes: 1024)
                let wrong = "sha256:" + String(repeating: "0", count: 64)
                await #expect(throws: RegistryError.self) {
                    try await client.pushBlob("cache/x86_64", file: file, digest: wrong, size: 1024)
                }
                #expect(try await client.blobSize("cache/x86_64", digest: wrong) == nil)
            }
        }
    }

    @Test func aManifestKeepsItsBytesMediaTypeAndTag() async throws {
        try await TestRegistry.with { registry in
            try await Self.withClient(registry) { client in
                let (file, digest) = try Self.randomFile(bytes: 4096)
                try await client.pushBlob("cache/aarch64", file: file, digest: digest, size: 4096)
                _ = try await client.pushBlobIfMissing("cache/aarch64", data: OCIManifest.emptyConfigData)
                let manifest = OCIManifest(artifactType: "application/vnd.example.test.v1", config: OCIManifest.emptyConfig,
                                           layers: [OCIDescriptor(mediaType: "application/vnd.example.test.layer.v1", digest: digest, size: 4096)],
                                           annotations: ["org.pkgtree.package.id": "zlib--x"]).encoded()
                let manifestDigest = try await client.putManifest("cache/aarch64", reference: "zlib--x", data: manifest, mediaType: OCIManifest.mediaType)
                let fetched = try #require(try await client.manifest("cache/aarch64", reference: "zlib--x", accepting: [OCIManifest.mediaType]))
                #expect(fetched.data == manifest)
                #expect(fetched.mediaType == OCIManifest.mediaType)
                #expect(fetched.digest == manifestDigest)
                #expect(try await client.manifest("cache/aarch64", reference: manifestDigest, accepting: [OCIManifest.mediaType])?.data == manifest)
                #expect(try await client.manifestDigest("cache/aarch64", reference: "zlib--x", accepting: [OCIManifest.mediaType]) == manifestDigest)
                #expect(try await client.manifest("cache/aarch64", reference: "other--y", accepting: [OCIManifest.mediaType]) == nil)
                #expect(try await client.tags("cache/aarch64") == ["zlib--x"])
                #expect(try await client.tags("cache/none") == [])
            }
        }
    }

    @Test func credentialsAreRequiredAndWrongOnesRefused() async throws {
        try await TestRegistry.with { registry in
            var anonymous = Self.options(registry)
            anonymous.credentials = nil
            await Self.expectUnauthorized(registry, anonymous, "asks for credentials and none were found", "podman login \(registry.host)")
            await Self.expectUnauthorized(registry, Self.options(registry, password: "wrong"),
                                          "refused the credentials of user 'builder' from the test")
        }
    }

    @Test func aRegistryOnlyTheTestCAVouchesForFailsTLSUnlessVerificationIsOff() async throws {
        try await TestRegistry.with { registry in
            var options = Self.options(registry)
            options.tls = RegistryTLS(certDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir"))
            await #expect {
                _ = try await RegistryClient.connect(registry.host, options: options)
            } throws: { error in
                guard let error = error as? RegistryError, case .tls = error else { return false }
                return !error.isUnavailable && error.description.contains("--cert-dir")
            }
            options.tls.verify = false
            let client = try await RegistryClient.connect(registry.host, options: options)
            #expect(client.baseURL.hasPrefix("https://"))
            await client.close()
        }
    }

    /// podman's --tls-verify=false also lets a registry that speaks only HTTP be used.
    @Test func aPlainHTTPRegistryNeedsTLSVerificationOff() async throws {
        try await TestRegistry.with(auth: .none, tls: false) { registry in
            var options = Self.options(registry)
            await #expect {
                _ = try await RegistryClient.connect(registry.host, options: options)
            } throws: { error in
                if case .tls? = error as? RegistryError { return true }
                return false
            }
            options.tls.verify = false
            let client = try await RegistryClient.connect(registry.host, options: options)
            #expect(client.baseURL == "http://\(registry.host)")
            #expect(try await client.tags("cache/x86_64") == [])
            await client.close()
        }
    }

    @Test func bearerTokensAreFetchedForEachRepositorysScope() async throws {
        try await TestRegistry.with(auth: .token(user: "ci", password: "token-pass")) { registry in
            try await Self.withClient(registry) { client in
                let (file, digest) = try Self.randomFile(bytes: 2048)
                try await client.pushBlob("cache/x86_64", file: file, digest: digest, size: 2048)
                try await client.pushBlob("cache/aarch64", file: file, digest: digest, size: 2048)
                #expect(try await client.blobSize("cache/x86_64", digest: digest) == 2048)
            }
            // The scope is the registry's challenge echoed; distribution lists its actions in
            // either order ("pull,push" or "push,pull"), so they are compared as a set.
            let scopes = registry.issuedTokenScopes.map { scope -> String in
                guard let colon = scope.lastIndex(of: ":") else { return scope }
                return scope[..<colon] + ":" + scope[scope.index(after: colon)...].split(separator: ",").sorted().joined(separator: ",")
            }
            #expect(scopes.contains("repository:cache/x86_64:pull,push"), "\(registry.issuedTokenScopes)")
            #expect(scopes.contains("repository:cache/aarch64:pull,push"), "\(registry.issuedTokenScopes)")
            await Self.expectUnauthorized(registry, Self.options(registry, password: "wrong"), "refused the credentials of user 'ci'")
        }
    }

    @Test func aRegistryThatIsNotThereIsUnavailable() async throws {
        let closed = try await ClosedPort()
        await #expect {
            _ = try await RegistryClient.connect("127.0.0.1:\(closed.port)", options: .init())
        } throws: { error in
            (error as? RegistryError)?.isUnavailable == true
        }
        await closed.stop()
    }
}
