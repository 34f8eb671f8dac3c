import Foundation
import Testing
import RegistryTestSupport

/// `cache verify` reports what opening the cache does not look for, and changes nothing;
/// `cache repair` fixes it, and the build after that builds only what was lost.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct CacheRepairCommandTests {
    @Test func aDamagedPageDeepInTheIndexIsReportedThenTheIndexRebuilt() async throws {
        let place = try await Place.copy(of: try await BrokenEnvironmentTests.golden.value)
        // The root page of an index no command reads on its way to the full check.
        let python = try #require(CLIRunner.which("python3"), "python3 finds the page to damage")
        let damage = try await CLIRunner.runTool(python, ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'artifact_by_package'").fetchone()[0]
            size = db.execute("PRAGMA page_size").fetchone()[0]
            db.close()
            with open(sys.argv[1], "r+b") as f:
                f.seek((page - 1) * size)
                f.write(bytes(size))
            """, place.index.path])
        try #require(damage.status == 0, "\(damage.stderr)")
        let aside = { try FileManager.default.contentsOfDirectory(atPath: place.cache.path).filter { $0.hasPrefix("index.sqlite.corrupt-") } }

        for _ in 1...2 {  // reported, not repaired: the second run finds it again
            let verify = try await run(["cache", "verify", "--cache", "cache"], in: place)
            #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("index: index.sqlite: "), "\(verify.stdout)")
            #expect(verify.stdout.contains("`pkgtree cache repair` moves the index aside"), "\(verify.stdout)")
            #expect(try aside().isEmpty, "verify moved the index")
        }

        let repair = try await run(["cache", "repair", "--cache", "cache"], in: place)
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stderr.contains("moved it aside to cache/index.sqlite.corrupt-"), "\(repair.stderr)")
        #expect(repair.stderr.contains("rebuilt the cache index from 4 artifacts"), "\(repair.stderr)")
        #expect(try aside().count == 1)

        let again = try await run(["cache", "verify", "--cache", "cache"], in: place)
        #expect(again.status == 0 && again.stdout.contains("verified 4 artifact(s): all good"), "\(again.stdout)\(again.stderr)")
        let build = try await run(place.buildArguments, in: place)
        #expect(BuildEvents.packages("cached", in: try BuildEvents.parse(build.stdout)).sorted() == Golden.names, "\(build.stdout)")
    }

    @Test func anArtifactThatNoLongerMatchesItsRowIsRemovedAndRebuilt() async throws {
        let place = try await Place.copy(of: try await BrokenEnvironmentTests.golden.value)
        let victim = try place.artifact("p01")
        var bytes = try Data(contentsOf: victim)
        for offset in bytes.count / 2 ..< bytes.count / 2 + 8 { bytes[offset] ^= 0xFF }
        try bytes.write(to: victim)

        let verify = try await run(["cache", "verify", "--cache", "cache"], in: place)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("the file is corrupt (`pkgtree cache repair` removes it"), "\(verify.stdout)")
        #expect(FileManager.default.fileExists(atPath: victim.path), "verify removed the artifact")

        let repair = try await run(["cache", "repair", "--cache", "cache"], in: place)
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stderr.contains("repair: removed packages/x86_64/p01/\(victim.lastPathComponent): sha256 is "), "\(repair.stderr)")
        #expect(repair.stdout.contains("repaired the cache: 3 intact artifact(s) indexed"), "\(repair.stdout)")
        let build = try await run(place.buildArguments, in: place)
        #expect(BuildEvents.packages("finished", in: try BuildEvents.parse(build.stdout)) == ["p01"], "\(build.stdout)")
    }

    private func run(_ arguments: [String], in place: Place) async throws -> CLIRunner.Outcome {
        let outcome = try await CLIRunner.runTool(CLIRunner.binary, arguments, in: place.directory)
        for text in BrokenEnvironmentTests.forbidden { #expect(!(outcome.stdout + outcome.stderr).contains(text)) }
        return outcome
    }
}
