import Foundation

/// What the scheduler needs of whatever builds one planned package: `PackageBuilder` builds
/// it in a local container; a fake stands in for scheduling tests, a remote builder could too.
public protocol PackageBuilding: Sendable {
    /// The log a build of `package` fills while it runs, shown when the build starts.
    func log(of package: PlannedPackage, in plan: BuildPlan) -> URL

    /// Builds `plan.packages[position]`, everything it requires being built or cached. A
    /// cancelled task ends `interrupted`; what fails the package alone ends `failed`; what
    /// must stop the whole run (a full disk) throws.
    func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome
}

/// How one package's build ended.
public enum BuildOutcome: Sendable {
    case built(ArtifactRecord, log: URL)
    /// Another process built it meanwhile.
    case cached(ArtifactRecord)
    case failed(reason: String, log: URL)
    /// The task was cancelled: the build's processes and container are gone, nothing was stored.
    case interrupted(log: URL)
}

/// Any builder as one concrete type, for the scheduler's `some PackageBuilding` when which
/// builder it is is decided at run time (a session's local builder, a test's fake).
public struct AnyPackageBuilder: PackageBuilding {
    private let base: any PackageBuilding

    public init(_ base: any PackageBuilding) {
        self.base = base
    }

    public func log(of package: PlannedPackage, in plan: BuildPlan) -> URL { base.log(of: package, in: plan) }

    public func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome {
        try await base.build(plan, position: position)
    }
}
