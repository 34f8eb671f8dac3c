import Foundation
import RegistryTestSupport
import Testing

/// The registry SIGKILLed at seeded random moments of `pkgtree cache push --all`, spread over
/// its upload: whenever it lands, pkgtree fails saying the registry cannot be reached, and the
/// registry, restarted on the same storage, holds no tag that names content it lacks (each
/// artifact's blob and config go first, its manifest next, its tag last). The next push
/// completes, and a pull into an empty cache gets every artifact, verified. Each round pushes
/// under a prefix of its own, so that each starts with nothing uploaded.
@Suite(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
struct RemoteCachePushKillTests {
    static let names = ["zlib", "openssl", "curl", "git", "perl", "python"]

    @Test func theRegistryKilledMidPushLeavesNoTagNamingMissingContentAndTheNextPushCompletesIt() async throws {
        try await TestRegistry.with { registry in
            let fixture = try await RemoteCacheFixture(registry: registry, names: Self.names)
            let cache = try await fixture.cache()
            let ids = Set(Self.names.map { fixture.id($0) })
            try await RegistryKill.rounds(seed: "RemoteCachePushKillTests", kills: 8, maxRounds: 16, registry: registry,
                                          repository: { "round\($0)/pkgtree/x86_64" },
                                          push: { try await fixture.under("round\($0)/pkgtree").push(cache: cache) }) { round in
                let remote = fixture.under("round\(round.number)/pkgtree")
                let pushed = round.killed.outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("pushed ") && $0.contains("--") }
                    .map { String($0.dropFirst("pushed ".count).prefix { $0 != " " }) }
                // A line is printed once the tag is written, so each id printed has its tag.
                let tagged = Set(round.tags.keys)
                #expect(Set(pushed).isSubset(of: tagged) && tagged.count <= ids.count, "round \(round.number): pushed \(pushed), tags \(tagged)")

                let completed = try await remote.push(cache: cache)
                #expect(completed.status == 0 && completed.stdout.contains("of \(ids.count) artifact(s)"), "round \(round.number): \(completed.stdout)\(completed.stderr)")
                let pull = try await remote.pull(cache: fixture.directory.appendingPathComponent("pulled-\(round.number)"))
                #expect(pull.status == 0 && pull.stdout.contains("pulled \(ids.count) of \(ids.count) artifact(s)"), "round \(round.number): \(pull.stdout)\(pull.stderr)")
                return pushed.isEmpty ? "before the first artifact was tagged" : "after \(pushed.count) of \(ids.count) artifacts"
            }
        }
    }
}
