import Foundation
import Testing
import RegistryTestSupport

/// Bootstrap fragments through the CLI on real bwrap builds: a bootstrap killed while it makes
/// fragments leaves none that counts, a lost index forgets them without a complaint from
/// `cache verify`, and `release create` of two architectures and two tree variants makes each
/// package's fragment once per architecture.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BootstrapFragmentIntegrationTests {
    static let kills = 6

    static func scratchCache() throws -> URL {
        try BuilderImages.cache(in: FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-fragments-\(UUID().uuidString)"))
    }

    static func bootstrap(_ scratch: ScratchTree, cache: URL, _ extra: [String] = []) -> [String] {
        ["bootstrap", "--arch", "x86_64", "-j", "2", "--packages", scratch.packages.path, "--cache", cache.path] + extra
    }

    /// The tarball `bootstrap.latest` names, under `run`'s output for `cache`.
    static func tarball(cache: URL) throws -> URL {
        let directory = CLIRunner.output(cache: cache).appendingPathComponent("bootstrap/x86_64")
        let id = try String(contentsOf: directory.appendingPathComponent("bootstrap.latest"), encoding: .utf8)
        return directory.appendingPathComponent("\(id).bootstrap.tar.xz")
    }

    static func tarDigest(_ tarball: URL) async throws -> String {
        try await CLIRunner.runTool("/bin/sh", ["-c", "xz -dc \"$0\" | sha256sum", tarball.path]).stdout
    }

    /// `scratch` built with bwrap into a new cache, with its bootstrap (fragments made); the
    /// digest of the bootstrap's tar stream.
    static func builtWithBootstrap(_ scratch: ScratchTree) async throws -> (cache: URL, tarDigest: String) {
        let cache = try scratchCache()
        let build = try await CLIRunner.run(SyntheticTree.buildArguments(scratch, cache: cache, runner: "bwrap"), cache: cache)
        try #require(build.status == 0, "\(build.stderr)")
        return (cache, try await tarDigest(try tarball(cache: cache)))
    }

    @Test(.tags(.slow)) func killedWhileMakingFragmentsLeavesNoneThatCountsAndTheNextBootstrapIsWhole() async throws {
        var moments = SeededFractions(for: "BootstrapFragmentIntegrationTests/killedWhileMakingFragments")
        // 2 MB of random bytes per package: xz takes about a second over each.
        let scratch = try SyntheticTree.make(count: 8, prelude: { _ in "mkdir -p \"$PKG_PATH/share\" && head -c 2000000 /dev/urandom > \"$PKG_PATH/share/blob\"" })
        let cache = try Self.scratchCache()
        let build = try await CLIRunner.run(SyntheticTree.buildArguments(scratch, cache: cache, runner: "bwrap") + ["--no-bootstrap"], cache: cache)
        #expect(build.status == 0, "\(build.stderr)")
        let anew = try await CLIRunner.run(Self.bootstrap(scratch, cache: cache, ["--no-fragments"]), cache: cache)
        #expect(anew.status == 0, "\(anew.stderr)")
        let expected = try await Self.tarDigest(try Self.tarball(cache: cache))

        let clock = ContinuousClock()
        var span = Duration.zero
        var landed = 0
        for round in 0...Self.kills {
            try? FileManager.default.removeItem(at: CLIRunner.output(cache: cache))
            try? FileManager.default.removeItem(at: cache.appendingPathComponent("fragments"))  // cold again
            if round == 0 {  // timed whole: the kills are spread over that span
                let started = clock.now
                let whole = try await CLIRunner.run(Self.bootstrap(scratch, cache: cache), cache: cache)
                span = clock.now - started
                #expect(whole.status == 0 && whole.stdout.contains("(8 fragments made)"), "\(whole.stdout)\(whole.stderr)")
                continue
            }
            let delay = span * moments.next()
            let started = clock.now
            let killed = try await CLIRunner.runKilled(Self.bootstrap(scratch, cache: cache), cache: cache, after: delay)
            // Round 0 may have been timed while every suite started at once: a bootstrap that
            // ends before its kill is timed in turn and becomes the span (as KillDuringBuildTests).
            if killed.killedWhileRunning { landed += 1 } else { span = clock.now - started }
            print("round \(round): killed after \(delay.formatted(.units(allowed: [.milliseconds]))), \(killed.killedWhileRunning ? "running" : "it had exited")")

            let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
            #expect(verify.status == 0 && !verify.stdout.contains("problem"), "round \(round): \(verify.stdout)\(verify.stderr)")
            try? FileManager.default.removeItem(at: CLIRunner.output(cache: cache))
            let next = try await CLIRunner.run(Self.bootstrap(scratch, cache: cache), cache: cache)
            #expect(next.status == 0, "round \(round): \(next.stderr)")
            #expect(try await Self.tarDigest(try Self.tarball(cache: cache)) == expected, "round \(round)")
        }
        #expect(landed >= Self.kills / 2, "only \(landed) of \(Self.kills) kills found the bootstrap running")
    }

    @Test func aCorruptFragmentIsMadeAgainAndNeverCopied() async throws {
        let scratch = try SyntheticTree.make(count: 4)
        let (cache, expected) = try await Self.builtWithBootstrap(scratch)
        let fragments = cache.appendingPathComponent("fragments/x86_64/p02")
        let file = fragments.appendingPathComponent(try #require(try FileManager.default.contentsOfDirectory(atPath: fragments.path).first))
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: file)

        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 1 && verify.stdout.contains("fragments/x86_64/p02/") && verify.stdout.contains("corrupt"), "\(verify.stdout)")
        try FileManager.default.removeItem(at: CLIRunner.output(cache: cache))
        let again = try await CLIRunner.run(Self.bootstrap(scratch, cache: cache), cache: cache)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("repair: fragments/x86_64/p02/") && again.stdout.contains("(1 fragment made)"), "\(again.stdout)")
        #expect(try await Self.tarDigest(try Self.tarball(cache: cache)) == expected)
        let clean = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    @Test func aLostIndexIsRebuiltWithoutTheFragmentsAndVerifyStaysClean() async throws {
        let scratch = try SyntheticTree.make(count: 3)
        let (cache, expected) = try await Self.builtWithBootstrap(scratch)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cache.appendingPathComponent("index.sqlite\(suffix)").path) }

        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && !verify.stdout.contains("fragment"), "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("rebuilt the cache index from 3 artifacts")
                && verify.stderr.contains("removed 3 bootstrap fragment(s) without an index row"), "\(verify.stderr)")
        try FileManager.default.removeItem(at: CLIRunner.output(cache: cache))
        let again = try await CLIRunner.run(Self.bootstrap(scratch, cache: cache), cache: cache)
        #expect(again.status == 0 && again.stdout.contains("(3 fragments made)"), "\(again.stdout)\(again.stderr)")
        #expect(try await Self.tarDigest(try Self.tarball(cache: cache)) == expected)
    }

    @Test func aReleaseOfTwoArchitecturesAndTwoVariantsMakesEachFragmentOncePerArchitecture() async throws {
        var files = [String: String]()
        for name in ["base", "tool", "extra"] {
            files["\(name)/buildinfo.json"] = name == "base" ? "{}" : #"{"requires": ["base"]}"#
            files["\(name)/build"] = "mkdir -p \"$PKG_PATH/bin\" && printf '#!/bin/sh\\necho \(name)\\n' > \"$PKG_PATH/bin/\(name)\" && chmod +x \"$PKG_PATH/bin/\(name)\"\n"
        }
        files["installer.treeinfo.json"] = #"{"bootstrap_package_list": ["tool"], "core_package_list": ["tool"]}"#
        let scratch = try ScratchTree(files)
        let cache = try Self.scratchCache()
        let arguments = ["release", "create", "--arch", "x86_64,aarch64", "--runner", "bwrap", "--progress", "json",
                         "--packages", scratch.packages.path, "--cache", cache.path]
        let release = try await CLIRunner.run(arguments, cache: cache)
        #expect(release.status == 0, "\(release.stdout)\(release.stderr)")
        let summaries = release.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }  // then come the release's lines
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "summary" }
        var made: [String: Int] = [:]
        for summary in summaries {
            let bootstrap = try #require(summary["bootstrap"] as? [String: Any])
            made[summary["arch"] as? String ?? "", default: 0] += bootstrap["fragments_made"] as? Int ?? -100
        }
        #expect(summaries.count == 4)
        #expect(made == ["x86_64": 3, "aarch64": 3], "each package's fragment once per architecture: \(made)")
        let stats = try await CLIRunner.run(["cache", "stats", "--cache", cache.path], cache: cache)
        #expect(stats.stdout.contains("bootstrap fragments: 6,"), "\(stats.stdout)")
    }
}
