import Foundation
import RegistryTestSupport
import Testing

/// `pkgtree cache push` and `cache pull` against a real registry (distribution 2.8 on
/// loopback, TLS from the test's CA, htpasswd auth), with skopeo as an independent client.
@Suite(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
struct RemoteCacheCommandTests {
    /// `c++_runtime` and `gtk@3` need escaping in a tag.
    static let names = ["zlib", "c++_runtime", "gtk@3"]

    static func sha256(_ file: URL) async throws -> String {
        String(try await CLIRunner.runTool("/usr/bin/sha256sum", [file.path]).stdout.prefix(64))
    }

    @Test func pushThenPullIntoAnEmptyCacheGivesTheSameBytes() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: Self.names)
            let cacheA = try await fixture.cache()
            let push = try await fixture.push(cache: cacheA)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stdout.contains("pushed 3 of 3 artifact(s) to \(fixture.remote)"), "\(push.stdout)")
            let again = try await fixture.push(cache: cacheA)
            #expect(again.stdout.split(separator: "\n").filter { $0.hasPrefix("present ") }.count == 3, "\(again.stdout)")

            let cacheB = fixture.directory.appendingPathComponent("empty-cache")
            let pull = try await fixture.pull(cache: cacheB)
            #expect(pull.status == 0, "\(pull.stderr)")
            #expect(pull.stdout.split(separator: "\n").filter { $0.hasPrefix("pulled ") && $0.contains("--") }.count == 3, "\(pull.stdout)")
            for name in Self.names {
                let pulled = cacheB.appendingPathComponent("packages/x86_64/\(name)/\(fixture.id(name)).tar.xz")
                #expect(try await Self.sha256(pulled) == Self.sha256(fixture.artifacts[name]!), "\(name)")
            }
            let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--packages", fixture.packages.path], cache: cacheB)
            #expect(plan.stdout.contains("0 to build, 3 cached"), "\(plan.stdout)")
            #expect(try await CLIRunner.run(["cache", "verify"], cache: cacheB).status == 0)
            let nothingLeft = try await fixture.pull(cache: cacheB)
            #expect(nothingLeft.stdout.contains("pulled 0 of 0 artifact(s)"))
        }
    }

    /// skopeo, which shares no code with pkgtree, reads the manifest under the escaped tag.
    @Test func skopeoReadsThePushedManifest() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["c++_runtime"])
            #expect(try await fixture.push(cache: try await fixture.cache()).status == 0)
            let id = fixture.id("c++_runtime")
            let tag = id.replacingOccurrences(of: "_", with: "__").replacingOccurrences(of: "+", with: "_p")
            let (user, password) = try #require(registry.credentials)
            let skopeo = try await CLIRunner.runTool("/usr/bin/skopeo", [
                "inspect", "--raw", "--cert-dir", registry.certificates.certDir.path, "--creds", "\(user):\(password)",
                "docker://\(registry.host)/team/pkgtree/x86_64:\(tag)",
            ])
            #expect(skopeo.status == 0, "\(skopeo.stderr)")
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(skopeo.stdout.utf8)) as? [String: Any])
            #expect(manifest["artifactType"] as? String == "application/vnd.pkgtree.package.v1")
            #expect(manifest["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
            let layers = try #require(manifest["layers"] as? [[String: Any]])
            #expect(layers.count == 1)
            #expect(layers.first?["digest"] as? String == "sha256:" + (try await Self.sha256(fixture.artifacts["c++_runtime"]!)))
            let annotations = try #require(manifest["annotations"] as? [String: String])
            #expect(annotations["org.pkgtree.package.id"] == id)
            #expect(annotations["org.pkgtree.package.arch"] == "x86_64")
            #expect(annotations["org.pkgtree.signature"]?.hasPrefix("ci.test-1:") == true)
        }
    }

    @Test func aTamperedBlobIsRefusedAndNothingOfItIsStored() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["zlib", "openssl"])
            #expect(try await fixture.push(cache: try await fixture.cache()).status == 0)
            let blob = registry.blobFile(digest: "sha256:" + (try await Self.sha256(fixture.artifacts["openssl"]!)))
            var bytes = try Data(contentsOf: blob)
            bytes[bytes.count / 2] ^= 0x20
            try bytes.write(to: blob)
            let cacheB = fixture.directory.appendingPathComponent("cache-b")
            let pull = try await fixture.pull(cache: cacheB)
            #expect(pull.status == 1)
            #expect(pull.stderr.contains("refused \(fixture.id("openssl")) from \(fixture.remote)"), "\(pull.stderr)")
            #expect(pull.stderr.contains("with digest sha256:"))
            #expect(try await RemoteCacheFixture.cachedIDs(cacheB) == [fixture.id("zlib")])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: cacheB.appendingPathComponent("tmp").path)
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test func aSignatureByAnUntrustedOrForgedKeyIsRefused() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["zlib"])
            #expect(try await fixture.push(cache: try await fixture.cache()).status == 0)
            let keys = fixture.directory.appendingPathComponent("other-keys")
            for name in ["laptop", "ci.test-1"] {
                #expect(try await CLIRunner.run(["key", "generate", "--name", name, "--output", keys.path]).status == 0)
            }
            let cacheB = fixture.directory.appendingPathComponent("cache-b")
            let untrusted = try await fixture.pull(cache: cacheB, trusting: keys.appendingPathComponent("laptop.pub"))
            #expect(untrusted.status == 1)
            #expect(untrusted.stderr.contains("signed by key 'ci.test-1', which is not among the trusted_keys (laptop)"), "\(untrusted.stderr)")
            let forged = try await fixture.pull(cache: cacheB, trusting: keys.appendingPathComponent("ci.test-1.pub"))
            #expect(forged.status == 1)
            #expect(forged.stderr.contains("does not match (id, arch, sha256)"), "\(forged.stderr)")
            #expect(try await RemoteCacheFixture.cachedIDs(cacheB).isEmpty)
        }
    }

    @Test func credentialsAreRequiredAndWrongOnesRefused() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["zlib"])
            let cache = try await fixture.cache()
            let none = try await fixture.push(cache: cache, authFile: fixture.directory.appendingPathComponent("no-such-auth.json"))
            #expect(none.status == 1)
            #expect(none.stderr.contains("asks for credentials and none were found"), "\(none.stderr)")
            #expect(none.stderr.contains("podman login \(registry.host)"))
            let wrongFile = fixture.directory.appendingPathComponent("wrong-auth.json")
            try RemoteCacheFixture.writeAuthFile(wrongFile, registry: registry.host, user: "builder", password: "wrong")
            let wrong = try await fixture.push(cache: cache, authFile: wrongFile)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("refused the credentials of user 'builder' from \(wrongFile.path)"), "\(wrong.stderr)")
            let pull = try await fixture.pull(cache: fixture.directory.appendingPathComponent("cache-b"), authFile: wrongFile)
            #expect(pull.status == 1)
            #expect(pull.stderr.contains("refused the credentials"))
        }
    }

    @Test func aRegistryThatIsDownCostsAWarningAndExitZeroWithNothingStored() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["zlib", "openssl"])
            #expect(try await fixture.push(cache: try await fixture.cache()).status == 0)
            await registry.stop()
            let cacheB = fixture.directory.appendingPathComponent("cache-b")
            let pull = try await fixture.pull(cache: cacheB)
            #expect(pull.status == 0, "\(pull.stderr)")
            #expect(pull.stderr.contains("warning: remote cache \(fixture.remote) is unavailable"), "\(pull.stderr)")
            #expect(pull.stdout.contains("pulled 0 of 2 artifact(s)"))
            #expect(try await RemoteCacheFixture.cachedIDs(cacheB).isEmpty)
        }
    }

    @Test func twoCachesPushingTheSameIDsAtOnceBothSucceed() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: ["zlib", "openssl", "curl", "git"])
            let (cacheA, cacheB) = (try await fixture.cache(), try await fixture.cache())
            async let first = fixture.push(cache: cacheA)
            async let second = fixture.push(cache: cacheB)
            let (one, two) = try await (first, second)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(two.status == 0, "\(two.stderr)")
            let cacheC = fixture.directory.appendingPathComponent("cache-c")
            let pull = try await fixture.pull(cache: cacheC)
            #expect(pull.status == 0, "\(pull.stderr)")
            #expect(pull.stdout.contains("pulled 4 of 4 artifact(s)"))
        }
    }
}
