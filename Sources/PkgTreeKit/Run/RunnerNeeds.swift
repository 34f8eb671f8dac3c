/// What the builds of a run need of a runner, for selection to probe: every builder the
/// packages use (a runner that cannot use one at all, like bwrap and a `docker/` directory, is
/// skipped before any image is made), and per platform the builds run on, one image to run
/// `true` in: the first package's own builder, or its base for a `docker/` directory. Each is
/// an image the builds need anyway, so probing makes nothing a build would not.
public struct RunnerNeeds: Sendable, Equatable {
    public var builders: [BuilderIdentity]
    public var probes: [BuilderIdentity]

    public init(_ packages: [(package: PlannedPackage, plan: BuildPlan)]) {
        var builders: [BuilderIdentity] = []
        var probes: [Architecture: BuilderIdentity] = [:]
        for (package, plan) in packages {
            if !builders.contains(package.builder) { builders.append(package.builder) }
            guard probes[package.buildArch] == nil else { continue }
            if case .dockerDirectory = package.builder {
                probes[package.buildArch] = plan.defaultBuilderIdentity(for: package.buildArch)
            } else {
                probes[package.buildArch] = package.builder
            }
        }
        self.builders = builders
        self.probes = probes.sorted { $0.key < $1.key }.map(\.value)
    }
}
