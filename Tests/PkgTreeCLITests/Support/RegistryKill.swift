import Foundation
import RegistryTestSupport
import Testing

/// Pushes that the test registry is SIGKILLed in the middle of, at moments measured from the
/// registry's first upload session (a directory in its storage), so that the moments a seed
/// draws spread over the upload, not over the start of the process; then the registry restarted
/// on the same storage, and what the tags left name walked (`RegistryWalk`).
enum RegistryKill {
    /// One round, for the test's own checks.
    struct Round {
        var number: Int
        var repository: String
        var delay: Duration
        var killed: KilledPush
        /// The tags the killed push left, each with what it names that the registry lacks.
        var tags: [String: [String]]
        /// The uninterrupted push of round 0.
        var reference: CLIRunner.Outcome
    }

    /// First an uninterrupted push (`push(0)`), its upload timed; then rounds, each pushing to a
    /// repository of its own (`repository(n)`, where `push(n)` pushes: nothing uploaded there
    /// yet), with the registry killed at a moment the seed of `test` draws over that span (a
    /// round whose push ends before its kill is timed in turn and becomes the span), until
    /// `kills` rounds broke the push off, `maxRounds` at most. After each kill the registry is
    /// restarted; whatever the moment, no tag may name missing content, and a push broken off
    /// exits 1 naming the registry. `check` does the rest (the next push completes, …) and says
    /// where the kill landed, which is printed and counted.
    static func rounds(seed test: String, kills: Int, maxRounds: Int, registry: TestRegistry, repository: (Int) -> String,
                       push: @escaping @Sendable (Int) async throws -> CLIRunner.Outcome,
                       check: (Round) async throws -> String) async throws {
        var moments = SeededFractions(for: test)
        let reference = try await Self.push(registry, watching: repository(0), after: nil) { try await push(0) }
        #expect(reference.outcome.status == 0, "\(reference.outcome.stdout)\(reference.outcome.stderr)")
        var span = try #require(reference.upload)
        try await registry.start()
        var landed: [String: Int] = [:]
        var brokenOff = 0
        var number = 0
        while brokenOff < kills && number < maxRounds {
            number += 1
            let delay = span * moments.next()
            let killed = try await Self.push(registry, watching: repository(number), after: delay) { [number] in try await push(number) }
            if killed.brokenOff { brokenOff += 1 } else if let upload = killed.upload { span = upload }
            try await registry.start()
            let tags = try await RegistryWalk.missingContent(registry, repository(number))
            if killed.brokenOff {
                #expect(killed.outcome.status == 1 && killed.outcome.stderr.hasPrefix("pkgtree: registry 127.0.0.1:"),
                        "round \(number): \(killed.outcome.status) \(killed.outcome.stderr)")
            }
            // A tag the registry was killed while writing resolves to nothing: allowed (only) then.
            let allowed = killed.brokenOff ? [[], [RegistryWalk.unwritten]] : [[String]]()
            #expect(tags.values.allSatisfy { $0.isEmpty || allowed.contains($0) }, "round \(number): tags naming missing content: \(tags)")
            let phase = try await check(Round(number: number, repository: repository(number), delay: delay, killed: killed,
                                              tags: tags, reference: reference.outcome))
            landed[killed.brokenOff ? phase : "too late: it had finished", default: 0] += 1
            print("round \(number): registry killed \(delay.formatted(.units(allowed: [.milliseconds]))) into the upload, "
                  + "\(killed.brokenOff ? phase : "too late: it had finished"); tags left: \(tags.keys.sorted().map { $0.prefix(24) }); "
                  + "\(killed.outcome.stderr.split(separator: "\n").last ?? "")")
        }
        print("kills by phase: \(landed.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; "))")
        #expect(brokenOff == kills, "only \(brokenOff) of \(number) rounds killed the registry while it pushed: \(landed)")
    }

    struct KilledPush {
        var outcome: CLIRunner.Outcome
        /// The kill came while the push ran, and it failed.
        var brokenOff: Bool
        /// From the registry's first upload session to the push's end; nil if none opened.
        var upload: Duration?
    }

    /// Runs `push` and, `delay` after the registry opened its first upload session for
    /// `repository`, SIGKILLs the registry, unless the push ended first (or `delay` is nil). The
    /// registry is stopped afterwards in any case, for the same restart.
    static func push(_ registry: TestRegistry, watching repository: String, after delay: Duration?,
                     _ push: @escaping @Sendable () async throws -> CLIRunner.Outcome) async throws -> KilledPush {
        enum Event: Sendable { case pushed(CLIRunner.Outcome, ContinuousClock.Instant), uploading(ContinuousClock.Instant?), killed }
        let uploads = registry.storage.appendingPathComponent("docker/registry/v2/repositories/\(repository)/_uploads")
        return try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask { .pushed(try await push(), ContinuousClock.now) }
            group.addTask {
                while !FileManager.default.fileExists(atPath: uploads.path) {
                    if Task.isCancelled { return .uploading(nil) }
                    try? await Task.sleep(for: .milliseconds(5))
                }
                return .uploading(ContinuousClock.now)
            }
            var pushed: (outcome: CLIRunner.Outcome, ended: ContinuousClock.Instant)?
            var uploadStarted: ContinuousClock.Instant?
            var killed = false
            while let event = try await group.next() {
                switch event {
                case .pushed(let outcome, let ended):
                    pushed = (outcome, ended)
                    group.cancelAll()  // ended by itself: no kill needed
                case .uploading(let started?):
                    uploadStarted = started
                    if let delay, pushed == nil {
                        group.addTask {
                            try? await Task.sleep(for: delay)
                            if Task.isCancelled { return .uploading(nil) }
                            await registry.stop()
                            return .killed
                        }
                    }
                case .uploading(nil): break
                case .killed: killed = true
                }
            }
            let (outcome, ended) = try #require(pushed)
            if !killed {
                #expect(outcome.status == 0, "a push the registry was not killed in failed: \(outcome.stdout)\(outcome.stderr)")
            }
            await registry.stop()
            return KilledPush(outcome: outcome, brokenOff: killed && outcome.status != 0, upload: uploadStarted.map { ended - $0 })
        }
    }
}
