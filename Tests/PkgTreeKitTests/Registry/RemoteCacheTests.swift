import Crypto
import Foundation
@testable import PkgTreeKit
import RegistryTestSupport
import Testing

/// What a pull refuses beyond a bad signature or digest (RemoteCacheCommandTests has those):
/// an artifact the output checks of a local build would refuse, and a manifest moved to
/// another id's tag. Against the real registry.
@Suite(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
struct RemoteCacheTests {
    struct Setup {
        let registry: TestRegistry
        let tree: TreeFixture
        let planned: [String: ArtifactImport.Planned]
        let key = SigningKey.generate(name: "ci-1")
        let environment: [String: String]

        init(_ registry: TestRegistry) throws {
            self.registry = registry
            tree = try TreeFixture.tree(["app": "{}", "lib": "{}"])
            let plan = try tree.plan()
            planned = Dictionary(uniqueKeysWithValues: ArtifactImport.plannedByID([plan]).values.map { ($0.package.name, $0) })
            let authFile = tree.root.deletingLastPathComponent().appendingPathComponent("auth.json")
            let (user, password) = registry.credentials!
            let auth = Data("\(user):\(password)".utf8).base64EncodedString()
            try JSONSerialization.data(withJSONObject: ["auths": [registry.host: ["auth": auth]]]).write(to: authFile)
            environment = ["REGISTRY_AUTH_FILE": authFile.path]
        }

        var settings: RemoteCacheSettings {
            var settings = RemoteCacheSettings(location: try! RemoteCacheLocation(parsing: "oci://\(registry.host)/cache", source: "test"))
            settings.tls = RegistryTLS(certDirectory: registry.certificates.certDir)
            settings.trustedKeys = [key.publicKey]
            return settings
        }

        /// A tar.xz of `content` (made by the system tar) and what its manifest says about it.
        func artifact(_ name: String, _ content: (URL) throws -> Void) async throws -> (URL, PackageArtifactManifest.Content) {
            let directory = tree.root.deletingLastPathComponent().appendingPathComponent("content-\(name)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try content(directory)
            let file = directory.appendingPathExtension("tar.xz")
            try await ArchiveFixture.run(["tar", "-cJf", file.path, "-C", directory.path, "."])
            let data = try Data(contentsOf: file)
            let item = planned[name]!
            return (file, .init(id: item.artifact.id, name: name, variant: nil, arch: .x86_64,
                                digest: "sha256:" + SHA256.hash(data: data).hexString, size: Int64(data.count)))
        }

        func withRemote<T>(_ body: (RemoteCache) async throws -> T) async throws -> T {
            try await RemoteCache.with(settings, environment: environment, body)
        }
    }

    @Test func anArtifactTheOutputChecksRefuseIsNotStored() async throws {
        try await TestRegistry.with { registry in
            let setup = try Setup(registry)
            let (file, content) = try await setup.artifact("app") { directory in
                try FileManager.default.createDirectory(at: directory.appendingPathComponent("bin"), withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("bin/shadow").path, withDestinationPath: "/etc/shadow")
            }
            let cache = try await CacheFixture()
            let outcome = try await setup.withRemote { remote in
                #expect(try await remote.push(content, file: file, key: setup.key) == .pushed(bytes: content.size))
                return try await remote.pull(setup.planned["app"]!, into: cache.store)
            }
            guard case .refused(let reason) = outcome else {
                Issue.record("expected a refusal, got \(outcome)")
                return
            }
            #expect(reason.contains("output checks") && reason.contains("bin/shadow"), "\(reason)")
            #expect(try cache.index.artifacts().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path).isEmpty)
        }
    }

    /// Whoever can write tags could move one package's manifest to another's tag: the manifest
    /// names its id, the signature covers it, and the pull checks both.
    @Test func aManifestUnderAnotherIDsTagIsRefused() async throws {
        try await TestRegistry.with { registry in
            let setup = try Setup(registry)
            let (file, content) = try await setup.artifact("lib") { directory in
                try Data("lib\n".utf8).write(to: directory.appendingPathComponent("README"))
            }
            let cache = try await CacheFixture()
            let outcomes = try await setup.withRemote { remote in
                _ = try await remote.push(content, file: file, key: setup.key)
                let repository = RemoteCacheMapping.repository(setup.settings.location, arch: .x86_64)
                let moved = try #require(try await remote.client.manifest(repository, reference: RemoteCacheMapping.tag(forID: content.id),
                                                                            accepting: [OCIManifest.mediaType]))
                let appID = setup.planned["app"]!.artifact.id
                try await remote.client.putManifest(repository, reference: RemoteCacheMapping.tag(forID: appID), data: moved.data,
                                                    mediaType: OCIManifest.mediaType)
                return (try await remote.pull(setup.planned["app"]!, into: cache.store),
                        try await remote.pull(setup.planned["lib"]!, into: cache.store))
            }
            guard case .refused(let reason) = outcomes.0 else {
                Issue.record("expected a refusal, got \(outcomes.0)")
                return
            }
            #expect(reason.contains("its manifest is for '\(content.id)'"), "\(reason)")
            guard case .pulled(let record, let bytes) = outcomes.1 else {
                Issue.record("expected lib to be pulled, got \(outcomes.1)")
                return
            }
            #expect(record.id == content.id && bytes == content.size && record.sha256 == String(content.digest.dropFirst(7)))
            #expect(try Data(contentsOf: cache.url(of: content.id)) == Data(contentsOf: file))
        }
    }

    /// A push broken off after the blob (the registry killed, the network gone) leaves the blob
    /// and no tag, so no pull finds half an artifact; the next push completes it without
    /// uploading the blob again.
    @Test func aPushBrokenOffAfterTheBlobLeavesNoTagAndTheNextPushCompletesIt() async throws {
        try await TestRegistry.with { registry in
            let setup = try Setup(registry)
            let (file, content) = try await setup.artifact("lib") { directory in
                try Data(String(repeating: "lib\n", count: 10_000).utf8).write(to: directory.appendingPathComponent("README"))
            }
            let repository = RemoteCacheMapping.repository(setup.settings.location, arch: .x86_64)
            let cache = try await CacheFixture()
            try await setup.withRemote { remote in
                try await remote.client.pushBlob(repository, file: file, digest: content.digest, size: content.size)
                #expect(try await remote.client.tags(repository) == [])
                guard case .missing = try await remote.pull(setup.planned["lib"]!, into: cache.store) else {
                    Issue.record("a half-pushed artifact was found")
                    return
                }
                #expect(try await remote.push(content, file: file, key: setup.key) == .pushed(bytes: 0))
                #expect(try await remote.client.tags(repository) == [RemoteCacheMapping.tag(forID: content.id)])
                guard case .pulled = try await remote.pull(setup.planned["lib"]!, into: cache.store) else {
                    Issue.record("the completed push was not pulled")
                    return
                }
            }
        }
    }
}
