import Foundation
import RegistryTestSupport
import Testing

/// `pkgtree build` with a remote cache: real bwrap builds, a real registry. One machine builds
/// and pushes; another pulls everything and builds nothing; a registry that is down or an
/// artifact that is refused only costs a warning and a local build.
@Suite(.tags(.container, .registry), .enabled(if: BuilderImages.available && TestRegistry.isAvailable,
                Comment(rawValue: TestRegistry.missingTools ?? BuilderImages.missingReason)))
struct RemoteCacheBuildTests {
    static let names = ["base", "tool", "app"]

    /// The fixture's tree, with build scripts that make real output.
    static func fixture(_ registry: TestRegistry) async throws -> RemoteCacheFixture {
        let fixture = try await RemoteCacheFixture(registry: registry, names: names)
        for name in names {
            try Data(SyntheticTree.script.utf8).write(to: fixture.packages.appendingPathComponent("\(name)/build"))
        }
        try Data(#"{"requires": ["base"]}"#.utf8).write(to: fixture.packages.appendingPathComponent("app/buildinfo.json"))
        return fixture
    }

    static func build(_ fixture: RemoteCacheFixture, cache: URL, _ options: [String], authFile: URL? = nil) async throws -> CLIRunner.Outcome {
        try await fixture.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--progress", "plain", "--no-bootstrap",
                               "--packages", fixture.packages.path, "--cache", cache.path] + options, cache: cache, authFile: authFile)
    }

    /// The fixture, built on cache A and pushed.
    static func builtAndPushed(_ registry: TestRegistry) async throws -> (fixture: RemoteCacheFixture, cacheA: URL) {
        let fixture = try await Self.fixture(registry)
        let cacheA = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("a"))
        let pushed = try await Self.build(fixture, cache: cacheA, ["--push", "--signing-key", fixture.secretKey.path])
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")
        return (fixture, cacheA)
    }

    @Test func oneCacheBuildsAndPushesAnotherPullsAndBuildsNothing() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await Self.fixture(registry)
            let cacheA = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("a"))
            let first = try await Self.build(fixture, cache: cacheA, ["--push", "--signing-key", fixture.secretKey.path])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("3 built, 0 cached"), "\(first.stdout)")
            #expect(first.stderr.contains("pushed 3 package(s) to \(fixture.remote)"), "\(first.stderr)")
            #expect(first.stderr.contains("runner: bwrap"))

            let cacheB = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("b"))
            let second = try await Self.build(fixture, cache: cacheB, ["--trusted-key", fixture.publicKey.path])
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stderr.contains("pulled 3 package(s) from \(fixture.remote)"), "\(second.stderr)")
            #expect(second.stdout.contains("0 built, 3 cached"), "\(second.stdout)")
            #expect(!second.stderr.contains("runner: bwrap"), "a build started: \(second.stderr)")
            for name in Self.names {
                let a = try FileManager.default.contentsOfDirectory(atPath: cacheA.appendingPathComponent("packages/x86_64/\(name)").path)
                let b = try FileManager.default.contentsOfDirectory(atPath: cacheB.appendingPathComponent("packages/x86_64/\(name)").path)
                #expect(a == b && a.count == 1)
                #expect(try Data(contentsOf: cacheA.appendingPathComponent("packages/x86_64/\(name)/\(a[0])"))
                        == Data(contentsOf: cacheB.appendingPathComponent("packages/x86_64/\(name)/\(b[0])")))
            }
        }
    }

    /// base's blob changed in the registry's storage, and tool's manifest replaced by one signed
    /// by a forger's key under the trusted key's name: the build refuses both, saying why, and
    /// builds them; app, intact, is pulled.
    @Test func aTamperedBlobAndAForgedSignatureAreRefusedAndBuiltHere() async throws {
        try await TestRegistry.with { registry in
            let (fixture, cacheA) = try await Self.builtAndPushed(registry)
            let artifact = { (name: String) throws -> URL in
                let directory = cacheA.appendingPathComponent("packages/x86_64/\(name)")
                return directory.appendingPathComponent(try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first))
            }

            let blob = registry.blobFile(digest: "sha256:" + (try await SourceServer.sha256(of: try artifact("base"))))
            var bytes = try Data(contentsOf: blob)
            bytes[bytes.count / 2] ^= 0x20
            try bytes.write(to: blob)
            let forger = fixture.directory.appendingPathComponent("forger-keys")
            #expect(try await CLIRunner.run(["key", "generate", "--name", "ci.test-1", "--output", forger.path]).status == 0)
            let toolID = try artifact("tool").deletingPathExtension().deletingPathExtension().lastPathComponent
            let forged = try await fixture.run(["cache", "push", "--signing-key", forger.appendingPathComponent("ci.test-1.key").path,
                                                "--packages", fixture.packages.path, toolID], cache: cacheA)
            #expect(forged.status == 0 && forged.stdout.contains("pushed \(toolID)"), "\(forged.stdout)\(forged.stderr)")

            let cacheB = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("b"))
            let second = try await Self.build(fixture, cache: cacheB, ["--trusted-key", fixture.publicKey.path])
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let warnings = second.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: refused ") }
            #expect(warnings.count == 2, "\(second.stderr)")
            #expect(warnings.contains { $0.hasPrefix("warning: refused base--") && $0.contains("with digest sha256:") && $0.hasSuffix("it is built here") },
                    "\(second.stderr)")
            #expect(warnings.contains { $0.hasPrefix("warning: refused \(toolID)") && $0.contains("does not match (id, arch, sha256)")
                                        && $0.hasSuffix("it is built here") }, "\(second.stderr)")
            #expect(second.stderr.contains("pulled 1 package(s) from \(fixture.remote)"), "\(second.stderr)")
            #expect(second.stdout.contains("2 built, 1 cached"), "\(second.stdout)")
            let verify = try await CLIRunner.run(["cache", "verify"], cache: cacheB)
            #expect(verify.status == 0 && verify.stdout.contains("all good"), "\(verify.stdout)\(verify.stderr)")
        }
    }

    /// Credentials the registry refuses fail neither the pull nor the push of a build: each is
    /// a warning that says so, and everything is built here.
    @Test func refusedCredentialsAreAWarningAndALocalBuild() async throws {
        try await TestRegistry.with { registry in
            let (fixture, _) = try await Self.builtAndPushed(registry)

            let wrong = fixture.directory.appendingPathComponent("wrong-auth.json")
            try RemoteCacheFixture.writeAuthFile(wrong, registry: registry.host, user: "builder", password: "wrong")
            let cacheB = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("b"))
            let refused = try await Self.build(fixture, cache: cacheB, ["--trusted-key", fixture.publicKey.path,
                                                                        "--push", "--signing-key", fixture.secretKey.path], authFile: wrong)
            #expect(refused.status == 0, "\(refused.stdout)\(refused.stderr)")
            let warnings = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
            #expect(warnings.count == 2, "\(refused.stderr)")
            #expect(warnings.first?.hasPrefix("warning: remote cache \(fixture.remote) failed, nothing more is pulled; the rest is built here") == true,
                    "\(refused.stderr)")
            #expect(warnings.last?.hasPrefix("warning: pushing to \(fixture.remote) failed; the build is not affected") == true, "\(refused.stderr)")
            #expect(warnings.allSatisfy { $0.contains("refused the credentials of user 'builder' from \(wrong.path)") }, "\(refused.stderr)")
            #expect(refused.stdout.contains("3 built, 0 cached"), "\(refused.stdout)")
        }
    }

    @Test func aRefusedPullOrARegistryThatIsDownIsAWarningAndALocalBuild() async throws {
        try await TestRegistry.with { registry in
            let (fixture, _) = try await Self.builtAndPushed(registry)

            let keys = fixture.directory.appendingPathComponent("other-keys")
            #expect(try await CLIRunner.run(["key", "generate", "--name", "laptop", "--output", keys.path]).status == 0)
            let cacheB = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("b"))
            let refused = try await Self.build(fixture, cache: cacheB, ["--trusted-key", keys.appendingPathComponent("laptop.pub").path])
            #expect(refused.status == 0, "\(refused.stderr)")
            #expect(refused.stderr.contains("warning: refused base--"), "\(refused.stderr)")
            #expect(refused.stderr.contains("not among the trusted_keys (laptop); it is built here"))
            #expect(refused.stdout.contains("3 built, 0 cached"), "\(refused.stdout)")

            await registry.stop()
            let cacheC = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("c"))
            let down = try await Self.build(fixture, cache: cacheC, ["--trusted-key", fixture.publicKey.path,
                                                                     "--push", "--signing-key", fixture.secretKey.path])
            #expect(down.status == 0, "\(down.stderr)")
            #expect(down.stderr.contains("warning: remote cache \(fixture.remote) is unavailable"), "\(down.stderr)")
            #expect(down.stderr.contains("warning: pushing to \(fixture.remote) failed; the build is not affected"))
            #expect(down.stdout.contains("3 built, 0 cached"), "\(down.stdout)")
        }
    }
}
