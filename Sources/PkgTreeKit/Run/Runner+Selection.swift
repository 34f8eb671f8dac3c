import Foundation

extension Runner {
    /// `requested` (or the configured runner) if it can build; otherwise the first of docker,
    /// podman, bwrap that can. A runner can build when it is installed, answers, has (or
    /// loads) the image of each of `builders` and runs `true` in a container of its platform:
    /// an engine present but unable to run a platform (no QEMU in its daemon, a remote daemon,
    /// a broken runtime) is skipped, never picked and failed. `note` hears why each runner was
    /// skipped and how long a probe took; `announce`, what takes long (making an image).
    /// Failures that are no runner's own (mmdebstrap, the cache) are thrown as they are.
    public static func select(_ requested: RunnerKind?, configuration: RunnerConfiguration, probing builders: [BuilderIdentity],
                              store: BuilderImageStore, note: (String) -> Void, announce: (String) -> Void) async throws -> Runner {
        let candidates = (requested ?? configuration.runner).map { [$0] } ?? RunnerKind.detectionOrder
        var reasons: [String] = []
        for kind in candidates {
            let runner = make(kind, configuration)
            let clock = ContinuousClock.now
            if let reason = try await runner.reasonItCannotBuild(builders, store: store, announce: announce) {
                reasons.append("\(kind.rawValue): \(reason)")
                note("runner \(kind.rawValue) skipped: \(reason)")
                continue
            }
            let platforms = builders.map(\.platform.ociPlatform).joined(separator: ", ")
            note("runner \(kind.rawValue) runs \(platforms.isEmpty ? "here" : platforms) (probed in \((ContinuousClock.now - clock).secondsText))")
            return runner
        }
        throw Problems([Problem(field: "--runner", "no container runner can build here (\(reasons.joined(separator: "; ")))",
                                hint: "install podman, docker or bubblewrap and QEMU's binfmt handlers (scripts/setup.sh does), or set runner options in pkgtree.json")])
    }

    /// The builders a run's packages need probed: one per platform their builds run on, the
    /// first such package's own builder (its base, for a `docker/` directory). Each is an
    /// image the builds need anyway, so probing makes nothing a build would not.
    public static func probeTargets(_ packages: [(package: PlannedPackage, plan: BuildPlan)]) -> [BuilderIdentity] {
        var chosen: [Architecture: BuilderIdentity] = [:]
        for (package, plan) in packages where chosen[package.buildArch] == nil {
            if case .dockerDirectory = package.builder {
                chosen[package.buildArch] = plan.defaultBuilderIdentity(for: package.buildArch)
            } else {
                chosen[package.buildArch] = package.builder
            }
        }
        return chosen.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Why this runner cannot build `builders` here, or nil when it can.
    func reasonItCannotBuild(_ builders: [BuilderIdentity], store: BuilderImageStore,
                             announce: (String) -> Void) async throws -> String? {
        guard ToolRunner.isInstalled(kind.rawValue) else { return "not installed" }
        if let failure = try await Self.failure(of: answersCommand) { return failure }
        for builder in builders {
            let image: BuilderImage
            do {
                image = try await preparedImage(for: builder, store: store, docker: nil, announce: announce)
            } catch let unusable as RunnerUnusable {
                return unusable.problem.message
            }
            if let failure = try await Self.failure(of: probeRunCommand(image, platform: builder.platform)) {
                return "cannot run \(builder.platform.ociPlatform) containers: \(failure)"
            }
        }
        return nil
    }

    /// Whether the runner works at all, before any image is made: the engine answers (docker's
    /// client exists without a daemon); bwrap can make a sandbox.
    var answersCommand: ToolCommand {
        switch self {
        case .engine(let engine): engine.probeCommand
        case .bwrap(let bwrap): bwrap.probeCommand
        }
    }

    func probeRunCommand(_ image: BuilderImage, platform: Architecture) -> ToolCommand {
        switch self {
        case .engine(let engine): engine.probeRunCommand(image: image.reference, platform: platform)
        case .bwrap(let bwrap): bwrap.probeRunCommand(rootfs: image.rootfs)
        }
    }

    /// nil when `command` succeeds, else the command and the last line it printed.
    private static func failure(of command: ToolCommand) async throws -> String? {
        let result = try await ToolRunner.capture(command)
        guard result.status != 0 else { return nil }
        let last = result.output.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? "exit \(result.status)"
        return "`\(command)` failed: \(last)"
    }
}

extension BuilderIdentity {
    /// The platform whose binaries run in the image.
    public var platform: Architecture {
        switch self {
        case .recipe(_, let arch), .dockerDirectory(_, let arch), .pinned(_, let arch), .tagged(_, let arch): arch
        }
    }
}
