import Foundation
@testable import PkgTreeKit

/// A `PackageBuilding` that runs no container: each build sleeps (1 ms unless `delays` says
/// otherwise), then fails when `failing` holds its name or `arch/name`, else is built. `journal` hears every
/// start and end, so a test sees the order, the concurrency and what a cancellation reached.
struct FakeBuilder: PackageBuilding {
    var journal = BuildJournal()
    var failing: Set<String> = []
    var delays: [String: Duration] = [:]

    func log(of package: PlannedPackage, in plan: BuildPlan) -> URL {
        URL(fileURLWithPath: "/logs/\(plan.arch)/\(package.name).log")
    }

    func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome {
        let package = plan.packages[position]
        let label = "\(plan.arch)/\(package.name)"
        await journal.start(label, requires: package.requires.map { "\(plan.arch)/\(plan.packages[$0].name)" })
        let log = log(of: package, in: plan)
        do {
            try await Task.sleep(for: delays[package.name] ?? .milliseconds(1))
        } catch {
            await journal.end(label, .interrupted)
            return .interrupted(log: log)
        }
        if failing.contains(package.name) || failing.contains(label) {
            await journal.end(label, .failed)
            return .failed(reason: "the build script exited with status 1", log: log)
        }
        await journal.end(label, .built)
        return .built(Self.record(package, plan), log: log)
    }

    static func record(_ package: PlannedPackage, _ plan: BuildPlan) -> ArtifactRecord {
        ArtifactRecord(id: package.id, name: package.name, variant: nil, arch: plan.arch.rawValue,
                       path: "packages/\(package.id).tar.xz", size: 0, sha256: "", buildDuration: 0, createdAt: 0,
                       builder: "fake", inputs: "{}")
    }
}

/// What the fake builds did, in order.
actor BuildJournal {
    enum End { case built, failed, interrupted }

    private(set) var started: [String] = []
    private(set) var ended: [(label: String, end: End)] = []
    /// The most builds that ran at once.
    private(set) var mostAtOnce = 0
    /// Builds that started before something they require was built.
    private(set) var startedEarly: [String] = []
    private var running = 0

    func start(_ label: String, requires: [String]) {
        started.append(label)
        running += 1
        mostAtOnce = max(mostAtOnce, running)
        let built = Set(ended.filter { $0.end == .built }.map(\.label))
        if !requires.allSatisfy(built.contains) { startedEarly.append(label) }
    }

    func end(_ label: String, _ end: End) {
        running -= 1
        ended.append((label, end))
    }
}
