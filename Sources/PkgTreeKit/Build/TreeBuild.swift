import Foundation

/// Builds what a plan lacks: a package starts as soon as everything it requires is built or
/// cached, with up to `jobs` builds at once. After a failure nothing new starts unless
/// `keepGoing`, and then only what does not depend on the failure. With nothing to build, no
/// runner is even selected, so a fully cached run starts no container. Cancelling the task
/// (SIGINT) starts nothing new and stops what runs; the summary says what was interrupted.
public struct TreeBuild: Sendable {
    public enum Event: Sendable {
        case cached(name: String, id: String)
        case started(name: String, id: String, position: Int, total: Int)
        case built(name: String, id: String, seconds: Double, log: URL)
        case failed(name: String, id: String, reason: String, log: URL)
        case interrupted(name: String, id: String, log: URL)
        case skipped(name: String, reason: String)
    }

    public struct Summary: Sendable {
        public var built: [String] = []
        public var cached: [String] = []
        public var failed: [(name: String, log: URL)] = []
        public var skipped: [(name: String, reason: String)] = []
        public var interrupted: [String] = []
    }

    public var plan: BuildPlan
    public var cached: Set<String>
    public var index: CacheIndex
    public var keepGoing: Bool
    public var jobs: Int

    public init(plan: BuildPlan, cached: Set<String>, index: CacheIndex, keepGoing: Bool, jobs: Int = 1) {
        self.plan = plan
        self.cached = cached
        self.index = index
        self.keepGoing = keepGoing
        self.jobs = max(1, jobs)
    }

    private struct Finished: Sendable {
        var position: Int
        var outcome: PackageBuilder.Outcome
        var seconds: Double
    }

    /// `makeBuilder` is called once, only when something needs building.
    public func run(makeBuilder: () async throws -> PackageBuilder, report: (Event) -> Void) async throws -> Summary {
        var summary = Summary()
        var done = Set<Int>()          // built or cached
        var blocked: [Int: String] = [:]  // position -> why it cannot build
        var waiting: [Int] = []
        for position in plan.packages.indices {
            if cached.contains(plan.packages[position].id) {
                done.insert(position)
                summary.cached.append(plan.packages[position].name)
                report(.cached(name: plan.packages[position].name, id: plan.packages[position].id))
            } else {
                waiting.append(position)
            }
        }
        guard !waiting.isEmpty else { return summary }
        // Fail at once, before any build starts, when emulation is needed and not registered.
        if waiting.contains(where: { !plan.packages[$0].isCrossBuild }) {
            try Binfmt.require(plan.arch, for: "building for \(plan.arch) under emulation")
        }
        let builder = try await makeBuilder()
        let total = waiting.count
        var started = 0
        var stopped: String?
        try await withThrowingTaskGroup(of: Finished.self) { group in
            var running = 0
            while true {
                // Settle what can never start, then start what is ready, in plan order.
                var still: [Int] = []
                for position in waiting {
                    let package = plan.packages[position]
                    if let reason = stopped ?? (Task.isCancelled ? "not started: interrupted" : nil) ?? package.requires.lazy.compactMap({ blocked[$0] }).first {
                        blocked[position] = reason
                        summary.skipped.append((package.name, reason))
                        report(.skipped(name: package.name, reason: reason))
                    } else if running < jobs, package.requires.allSatisfy(done.contains) {
                        started += 1
                        running += 1
                        report(.started(name: package.name, id: package.id, position: started, total: total))
                        let plan = plan
                        group.addTask {
                            let clock = Date()
                            let outcome = try await builder.build(plan, index: position)
                            return Finished(position: position, outcome: outcome, seconds: Date().timeIntervalSince(clock))
                        }
                    } else {
                        still.append(position)
                    }
                }
                waiting = still
                guard let finished = try await group.next() else { break }
                running -= 1
                let package = plan.packages[finished.position]
                switch finished.outcome {
                case .built(_, let log):
                    done.insert(finished.position)
                    summary.built.append(package.name)
                    report(.built(name: package.name, id: package.id, seconds: finished.seconds, log: log))
                case .cached:
                    done.insert(finished.position)  // another process built it meanwhile
                    summary.cached.append(package.name)
                    report(.cached(name: package.name, id: package.id))
                case .failed(let reason, let log):
                    blocked[finished.position] = "requires \(package.name), which failed"
                    summary.failed.append((package.name, log))
                    report(.failed(name: package.name, id: package.id, reason: reason, log: log))
                    if !keepGoing { stopped = "not started: \(package.name) failed (use --keep-going to build what does not depend on it)" }
                case .interrupted(let log):
                    summary.interrupted.append(package.name)
                    report(.interrupted(name: package.name, id: package.id, log: log))
                }
            }
        }
        return summary
    }
}
