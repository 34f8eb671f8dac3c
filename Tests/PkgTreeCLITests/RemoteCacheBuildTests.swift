import Foundation
import RegistryTestSupport
import Testing

/// `pkgtree build` with a remote cache: real bwrap builds, a real registry. One machine builds
/// and pushes; another pulls everything and builds nothing; a registry that is down or an
/// artifact that is refused only costs a warning and a local build.
@Suite(.enabled(if: BuilderImages.available && TestRegistry.isAvailable,
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

    static func build(_ fixture: RemoteCacheFixture, cache: URL, _ options: [String]) async throws -> CLIRunner.Outcome {
        try await fixture.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--progress", "plain", "--no-bootstrap",
                               "--packages", fixture.packages.path, "--cache", cache.path] + options, cache: cache)
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

    @Test func aRefusedPullOrARegistryThatIsDownIsAWarningAndALocalBuild() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await Self.fixture(registry)
            let cacheA = try BuilderImages.cache(in: fixture.directory.appendingPathComponent("a"))
            let pushed = try await Self.build(fixture, cache: cacheA, ["--push", "--signing-key", fixture.secretKey.path])
            #expect(pushed.status == 0, "\(pushed.stderr)")

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
