import Foundation
import Testing
@testable import PkgTreeKit

/// `builder_registries` in pkgtree.json: TLS per registry that builder images come from,
/// paths relative to the file, podman's defaults for a registry it does not name, and a wrong
/// setting named with its field.
@Suite struct BuilderRegistriesTests {
    static func load(_ json: String) throws -> RunnerConfiguration {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-registries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("packages"), withIntermediateDirectories: true)
        try Data(json.utf8).write(to: directory.appendingPathComponent("pkgtree.json"))
        return try RunnerConfiguration.load(packages: directory.appendingPathComponent("packages"), environment: [:])
    }

    @Test func eachRegistryHasItsOwnTLSAndOthersGetTheDefaults() throws {
        let configuration = try Self.load(#"{"builder_registries": {"127.0.0.1:5000": {"cert_dir": "certs/local", "tls_verify": true}, "plain.example": {"tls_verify": false}}}"#)
        let local = configuration.registries.tls(for: "127.0.0.1:5000")
        #expect(local.verify && local.certDirectory?.path.hasSuffix("/certs/local") == true)
        #expect(!configuration.registries.tls(for: "plain.example").verify)
        #expect(configuration.registries.tls(for: "docker.io") == RegistryTLS())
    }

    @Test(arguments: [
        (#"{"builder_registries": []}"#, "builder_registries", "expected an object of registries"),
        (#"{"builder_registries": {"https://x": {}}}"#, "builder_registries.https://x", "is not a registry"),
        (#"{"builder_registries": {"x.example": {"cert-dir": "c"}}}"#, "builder_registries.x.example.cert-dir", "is not a registry setting"),
        (#"{"builder_registries": {"x.example": {"tls_verify": "no"}}}"#, "builder_registries.x.example.tls_verify", "is not a registry setting"),
    ])
    func aWrongSettingIsNamed(json: String, field: String, message: String) throws {
        do {
            _ = try Self.load(json)
            Issue.record("\(json) was accepted")
        } catch let problems as Problems {
            #expect(problems.all.first?.field == field && problems.all.first?.message.contains(message) == true, "\(problems)")
            #expect(problems.all.first?.file?.hasSuffix("pkgtree.json") == true)
        }
    }
}
