import Foundation

/// Builds what a run's plans lack: one plan per architecture, all scheduled together in one
/// pool of `jobs` builds, so that a slow emulated architecture and the native one share the
/// machine instead of taking turns. A package starts as soon as everything it requires in its
/// own plan is built or cached. After a failure nothing new starts unless `keepGoing`, and
/// then only what does not depend on the failure — in the same plan, since each
/// architecture's packages require only their own. With nothing to build, no runner is even
/// selected, so a fully cached run starts no container.
public struct BuildScheduler: Sendable {
    /// Something that happened to one package of one architecture's plan.
    public struct Event: Sendable {
        public enum Kind: Sendable {
            case cached
            /// `log` fills while the build runs.
            case started(position: Int, total: Int, log: URL)
            case built(seconds: Double, log: URL)
            case failed(reason: String, log: URL)
            case skipped(reason: String)
            /// Stopped by SIGINT/SIGTERM; nothing was stored.
            case interrupted(log: URL)
        }

        public var arch: Architecture
        public var name: String
        public var id: String
        public var kind: Kind

        /// `aarch64/hello` when a run builds several architectures (as the cache lays out its
        /// files), else just `hello`.
        public func label(showingArch: Bool) -> String {
            showingArch ? "\(arch)/\(name)" : name
        }
    }

    /// What happened to one architecture's plan.
    public struct Summary: Sendable {
        public var arch: Architecture
        public var built: [String] = []
        public var cached: [String] = []
        public var failed: [(name: String, log: URL)] = []
        public var skipped: [(name: String, reason: String)] = []
        public var interrupted: [String] = []
    }

    /// One per architecture, with the ids already cached.
    public var plans: [Planner.Result]
    public var keepGoing: Bool
    public var jobs: Int

    public init(_ plans: [Planner.Result], keepGoing: Bool, jobs: Int = 1) {
        self.plans = plans
        self.keepGoing = keepGoing
        self.jobs = max(1, jobs)
    }

    /// A package of one of the plans: `plan` indexes `plans`, `position` that plan's packages.
    struct Node: Hashable, Sendable {
        var plan: Int
        var position: Int
    }

    private struct Finished: Sendable {
        var node: Node
        var outcome: BuildOutcome
        var seconds: Double
    }

    /// `makeBuilder` is called once, only when something needs building, with what the
    /// runner must be able to do for the packages that do. Returns one summary per plan, in
    /// the order of `plans`.
    public func run(makeBuilder: (RunnerNeeds) async throws -> some PackageBuilding, report: (Event) -> Void) async throws -> [Summary] {
        var summaries = plans.map { Summary(arch: $0.plan.arch) }
        var done = Set<Node>()            // built or cached
        var blocked: [Node: String] = [:]  // why it cannot build
        var waiting: [Node] = []
        for node in interleavedNodes() {
            if plans[node.plan].cached.contains(package(node).id) {
                done.insert(node)
                summaries[node.plan].cached.append(package(node).name)
                report(event(node, .cached))
            } else {
                waiting.append(node)
            }
        }
        guard !waiting.isEmpty else { return summaries }
        let builder = try await makeBuilder(RunnerNeeds(waiting.map { (package($0), plans[$0.plan].plan) }))
        let total = waiting.count
        var started = 0
        var stopped: String?
        try await withThrowingTaskGroup(of: Finished.self) { group in
            var running = 0
            while true {
                // Settle what can never start, then start what is ready, in the order of `waiting`.
                var still: [Node] = []
                for node in waiting {
                    let requires = package(node).requires.map { Node(plan: node.plan, position: $0) }
                    if let reason = stopped ?? (Task.isCancelled ? "not started: interrupted" : nil) ?? requires.lazy.compactMap({ blocked[$0] }).first {
                        blocked[node] = reason
                        summaries[node.plan].skipped.append((package(node).name, reason))
                        report(event(node, .skipped(reason: reason)))
                    } else if running < jobs, requires.allSatisfy(done.contains) {
                        started += 1
                        running += 1
                        report(event(node, .started(position: started, total: total, log: builder.log(of: package(node), in: plans[node.plan].plan))))
                        let plan = plans[node.plan].plan
                        group.addTask {
                            let clock = Date()
                            let outcome = try await UserFacingError.during("building \(plan.packages[node.position].name) for \(plan.arch)") {
                                try await builder.build(plan, position: node.position)
                            }
                            return Finished(node: node, outcome: outcome, seconds: Date().timeIntervalSince(clock))
                        }
                    } else {
                        still.append(node)
                    }
                }
                waiting = still
                guard let finished = try await group.next() else { break }
                running -= 1
                let node = finished.node, name = package(node).name
                switch finished.outcome {
                case .built(_, let log):
                    done.insert(node)
                    summaries[node.plan].built.append(name)
                    report(event(node, .built(seconds: finished.seconds, log: log)))
                case .cached:
                    done.insert(node)  // another process built it meanwhile
                    summaries[node.plan].cached.append(name)
                    report(event(node, .cached))
                case .failed(let reason, let log):
                    blocked[node] = "requires \(name), which failed"
                    summaries[node.plan].failed.append((name, log))
                    let failure = event(node, .failed(reason: reason, log: log))
                    report(failure)
                    if !keepGoing { stopped = "not started: \(failure.label(showingArch: plans.count > 1)) failed (use --keep-going to build what does not depend on it)" }
                case .interrupted(let log):
                    summaries[node.plan].interrupted.append(name)
                    report(event(node, .interrupted(log: log)))
                }
            }
        }
        return summaries
    }

    private func package(_ node: Node) -> PlannedPackage {
        plans[node.plan].plan.packages[node.position]
    }

    private func event(_ node: Node, _ kind: Event.Kind) -> Event {
        Event(arch: plans[node.plan].plan.arch, name: package(node).name, id: package(node).id, kind: kind)
    }

    /// Every node, the plans taking turns position by position, so that no architecture's
    /// ready packages always go first.
    private func interleavedNodes() -> [Node] {
        let longest = plans.map(\.plan.packages.count).max() ?? 0
        return (0..<longest).flatMap { position in
            plans.indices.filter { position < plans[$0].plan.packages.count }.map { Node(plan: $0, position: position) }
        }
    }
}
