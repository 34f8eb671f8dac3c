/// What the builds of a run need of a runner, for selection to probe: every builder the
/// packages use (a runner that cannot use one at all, like bwrap and a `docker/` directory, is
/// skipped before any image is made), and per platform the builds run on, one image to run
/// `true` in: the first package's own builder, or its base for a `docker/` directory. Each is
/// an image the builds need anyway, so probing makes nothing a build would not. And the
/// architectures whose builds run under emulation, whose QEMU handler must be there first.
public struct RunnerNeeds: Sendable, Equatable {
    public var builders: [BuilderIdentity]
    public var probes: [BuilderIdentity]
    /// Where each builder is named (by the first package that uses it): for the problem of a
    /// registry image that cannot be pulled while a runner is probed.
    public var origins: [BuilderIdentity: BuilderOrigin]
    /// Target architectures with a package built on its own architecture's builder (not
    /// cross-built), in the order first met; the host's among them needs no emulation.
    public var emulated: [Architecture]

    public init(_ packages: [(package: PlannedPackage, plan: BuildPlan)]) {
        var builders: [BuilderIdentity] = []
        var probes: [Architecture: BuilderIdentity] = [:]
        var emulated: [Architecture] = []
        var origins: [BuilderIdentity: BuilderOrigin] = [:]
        for (package, plan) in packages {
            if !package.isCrossBuild, !emulated.contains(plan.arch) { emulated.append(plan.arch) }
            if !builders.contains(package.builder) { builders.append(package.builder) }
            let image = if case .dockerDirectory = package.builder { plan.defaultBuilderIdentity(for: package.buildArch) } else { package.builder }
            if origins[image] == nil { origins[image] = BuilderOrigin(package) }
            if probes[package.buildArch] == nil { probes[package.buildArch] = image }
        }
        self.builders = builders
        self.probes = probes.sorted { $0.key < $1.key }.map(\.value)
        self.emulated = emulated
        self.origins = origins
    }

    /// Fails at once, before any runner is probed or build started, naming every architecture
    /// whose builds need emulation that this machine lacks.
    public func requireEmulation() throws {
        let problems = emulated.sorted().compactMap { arch in
            Binfmt.missingHandler(arch, for: "building for \(arch) under emulation")
        }
        if !problems.isEmpty { throw Problems(problems) }
    }
}
