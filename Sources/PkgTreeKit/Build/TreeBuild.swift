import Foundation

/// Builds what a plan lacks, in build order, one package at a time (the parallel scheduler
/// replaces the loop, not the per-package work). With nothing to build, no runner is even
/// selected, so a fully cached run starts no container.
public struct TreeBuild: Sendable {
    public enum Event: Sendable {
        case cached(name: String, id: String)
        case started(name: String, id: String, position: Int, total: Int)
        case built(name: String, id: String, seconds: Double, log: URL)
        case failed(name: String, id: String, reason: String, log: URL)
        case skipped(name: String, reason: String)
    }

    public struct Summary: Sendable {
        public var built: [String] = []
        public var cached: [String] = []
        public var failed: [(name: String, log: URL)] = []
        public var skipped: [(name: String, reason: String)] = []
    }

    public var plan: BuildPlan
    public var cached: Set<String>
    public var index: CacheIndex
    public var keepGoing: Bool

    public init(plan: BuildPlan, cached: Set<String>, index: CacheIndex, keepGoing: Bool) {
        self.plan = plan
        self.cached = cached
        self.index = index
        self.keepGoing = keepGoing
    }

    /// `makeBuilder` is called once, only when something needs building.
    public func run(makeBuilder: () async throws -> PackageBuilder, report: (Event) -> Void) async throws -> Summary {
        var summary = Summary()
        var builder: PackageBuilder?
        var blocked: [Int: String] = [:]  // position -> why it cannot build
        var stopped: String?
        let pending = plan.packages.indices.filter { !cached.contains(plan.packages[$0].id) }
        // Fail at once, before any build starts, when emulation is needed and not registered.
        if pending.contains(where: { !plan.packages[$0].isCrossBuild }) {
            try Binfmt.require(plan.arch, for: "building for \(plan.arch) under emulation")
        }
        for position in plan.packages.indices {
            let package = plan.packages[position]
            if cached.contains(package.id) {
                summary.cached.append(package.name)
                report(.cached(name: package.name, id: package.id))
                continue
            }
            if let reason = stopped ?? package.requires.lazy.compactMap({ blocked[$0] }).first {
                blocked[position] = reason
                summary.skipped.append((package.name, reason))
                report(.skipped(name: package.name, reason: reason))
                continue
            }
            if builder == nil { builder = try await makeBuilder() }
            report(.started(name: package.name, id: package.id, position: (pending.firstIndex(of: position) ?? 0) + 1, total: pending.count))
            let started = Date()
            switch try await builder!.build(plan, index: position) {
            case .built(_, let log):
                summary.built.append(package.name)
                report(.built(name: package.name, id: package.id, seconds: Date().timeIntervalSince(started), log: log))
            case .cached:
                summary.cached.append(package.name)  // another process built it meanwhile
                report(.cached(name: package.name, id: package.id))
            case .failed(let reason, let log):
                summary.failed.append((package.name, log))
                blocked[position] = "requires \(package.name), which failed"
                report(.failed(name: package.name, id: package.id, reason: reason, log: log))
                if !keepGoing { stopped = "not started: \(package.name) failed (use --keep-going to build what does not depend on it)" }
            }
        }
        return summary
    }
}
