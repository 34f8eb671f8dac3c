import Foundation
import RegistryTestSupport
import Testing

/// The registry SIGKILLed at seeded random moments of `pkgtree release push`, spread over its
/// upload (blobs and manifests going up, the next layer being made, the attachment, the tag):
/// whenever it lands, pkgtree fails with a message, and the registry, restarted on the same
/// storage (`TestRegistry.start` again), holds no tag that names content it lacks (children go
/// first, the index after them, the tag last). The next push completes the release: skopeo
/// reads the index with both platforms and copies all of it. Each round pushes to a repository
/// of its own, so that each starts with nothing uploaded.
@Suite(.tags(.container, .registry), .enabled(if: BuilderImages.available && TestRegistry.isAvailable,
                                              Comment(rawValue: TestRegistry.missingTools ?? BuilderImages.missingReason)))
struct ReleasePushKillTests {
    /// Where a kill landed, told by the lines the killed push printed.
    static func phase(_ outcome: CLIRunner.Outcome) -> String {
        let lines = outcome.stdout.split(separator: "\n")
        let images = lines.filter { $0.hasPrefix("pushed linux/") }.count
        return lines.contains { $0.hasPrefix("attached ") } ? "after the attachment (referrers tag, tag)"
            : images >= 2 ? "after both images (index, attachment)" : images == 1 ? "after the first image" : "before the first image was pushed"
    }

    @Test func theRegistryKilledMidPushLeavesNoTagNamingMissingContentAndTheNextPushCompletesIt() async throws {
        let released = try await ReleasePublishTests.released.value
        try await TestRegistry.with { registry in
            let remote = ReleaseOnRegistry(released: released, registry: registry)
            try await RegistryKill.rounds(seed: "ReleasePushKillTests", kills: 8, maxRounds: 15, registry: registry,
                                          repository: { "pkgtree/round\($0)" }, push: { try await remote.push("pkgtree/round\($0)") }) { round in
                if round.killed.brokenOff {
                    // Listed but resolving to nothing is the registry killed inside its own tag write.
                    #expect(round.tags["1.0"] == nil || round.tags["1.0"] == [RegistryWalk.unwritten],
                            "round \(round.number): the tag was written though the push failed: \(round.killed.outcome.stdout)")
                }
                let indexDigest = try #require(ReleaseOnRegistry.indexDigest(round.reference))
                let completed = try await remote.push(round.repository)
                #expect(completed.status == 0 && completed.stdout.contains("as index \(indexDigest)"),
                        "round \(round.number): \(completed.stdout)\(completed.stderr)")
                try await Self.expectWhole(remote, round.repository, indexDigest: indexDigest, round: round.number)
                return Self.phase(round.killed.outcome)
            }
        }
    }

    /// The tag names the reference push's index, with both platforms, and skopeo copies every
    /// manifest and blob of it (each checked against its digest).
    static func expectWhole(_ remote: ReleaseOnRegistry, _ repository: String, indexDigest: String, round: Int) async throws {
        let inspected = try await remote.inspect(repository, ":1.0")
        #expect(inspected.status == 0, "round \(round): \(inspected.stderr)")
        let index = try ReleasePublishTests.json(inspected.stdout)
        let platforms = (index["manifests"] as? [[String: Any]] ?? []).compactMap { ($0["platform"] as? [String: String])?["architecture"] }
        #expect(platforms.sorted() == ["amd64", "arm64"], "round \(round): \(inspected.stdout)")
        let layout = remote.released.scratch.appendingPathComponent("copied-\(repository.replacingOccurrences(of: "/", with: "-"))-\(UUID().uuidString)")
        let copied = try await remote.copyAll(repository, to: layout)
        #expect(copied.status == 0, "round \(round): \(copied.stderr)")
        let copiedIndex = try ReleasePublishTests.json(try String(contentsOf: layout.appendingPathComponent("index.json"), encoding: .utf8))
        #expect((copiedIndex["manifests"] as? [[String: Any]])?.first?["digest"] as? String == indexDigest, "round \(round): \(copiedIndex)")
        try? FileManager.default.removeItem(at: layout)
    }
}
