import Foundation
@testable import PkgTreeKit
import Testing

/// The remote cache is configured in pkgtree.json, the environment and options, in that order
/// of precedence; a wrong field is a problem naming the file and the field.
struct RemoteCacheSettingsTests {
    static let key = SigningKey.generate(name: "ci-1").publicKey.description

    func tree(_ configuration: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("packages"), withIntermediateDirectories: true)
        try Data(configuration.utf8).write(to: directory.appendingPathComponent("pkgtree.json"))
        return directory.appendingPathComponent("packages")
    }

    @Test func pkgtreeJSONThenTheEnvironmentThenOptions() throws {
        let packages = try tree("""
            {"runner": "bwrap", "remote_cache": {"url": "oci://file.example/cache", "trusted_keys": ["\(Self.key)"],
             "signing_key": "keys/ci.key", "push": true, "tls_verify": false, "cert_dir": "certs"}}
            """)
        let file = try #require(try RemoteCacheSettings.resolve(packages: packages, overrides: .init(), environment: [:]))
        #expect(file.location.description == "oci://file.example/cache")
        #expect(file.trustedKeys.map(\.description) == [Self.key])
        #expect(file.signingKeyFile?.path == packages.deletingLastPathComponent().appendingPathComponent("keys/ci.key").path)
        #expect(file.push && !file.tls.verify)
        #expect(file.tls.certDirectory?.lastPathComponent == "certs")
        #expect(try RunnerConfiguration.load(packages: packages, environment: [:]).runner == .bwrap)

        let other = SigningKey.generate(name: "laptop").publicKey.description
        let environment = ["PKGTREE_REMOTE_CACHE": "oci://env.example:5000/cache", "PKGTREE_TRUSTED_KEYS": other]
        let fromEnvironment = try #require(try RemoteCacheSettings.resolve(packages: packages, overrides: .init(), environment: environment))
        #expect(fromEnvironment.location.registry == "env.example:5000")
        #expect(fromEnvironment.trustedKeys.count == 2)
        let fromOptions = try #require(try RemoteCacheSettings.resolve(
            packages: packages, overrides: .init(url: "oci://option.example/cache", push: false, tlsVerify: true), environment: environment))
        #expect(fromOptions.location.registry == "option.example")
        #expect(!fromOptions.push && fromOptions.tls.verify)
    }

    @Test func noneConfiguredIsNil() throws {
        let packages = try tree("{}")
        #expect(try RemoteCacheSettings.resolve(packages: packages, overrides: .init(), environment: [:]) == nil)
    }

    @Test func wrongFieldsAreProblemsNamingFileAndField() throws {
        let packages = try tree(#"{"remote_cache": {"url": "oci://x.example/c", "trusted_key": [], "push": "yes"}}"#)
        #expect {
            _ = try RemoteCacheSettings.resolve(packages: packages, overrides: .init(), environment: [:])
        } throws: { error in
            let problems = (error as? Problems)?.all ?? []
            return problems.count == 2
                && problems.contains { $0.field == "remote_cache.trusted_key" && $0.hint?.contains("trusted_keys") == true }
                && problems.contains { $0.field == "remote_cache.push" && $0.message.contains("wrong type") }
                && problems.allSatisfy { $0.file?.hasSuffix("pkgtree.json") == true }
        }
        let badKey = try tree(#"{"remote_cache": {"url": "oci://x.example/c", "trusted_keys": ["nope"]}}"#)
        #expect(throws: Problems.self) { _ = try RemoteCacheSettings.resolve(packages: badKey, overrides: .init(), environment: [:]) }
    }
}
