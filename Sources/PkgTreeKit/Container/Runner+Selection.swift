import Foundation

extension Runner {
    /// `requested` (or the configured runner) if it can build; otherwise the first of docker,
    /// podman, bwrap that can. A runner can build when it is installed, answers, can use every
    /// builder `needs` names, and runs `true` in a container of each platform: an engine present
    /// but unable to run a platform (no QEMU in its daemon, a remote daemon, a broken runtime)
    /// is skipped, never picked and failed. `note` hears why each runner was skipped and how
    /// long a probe took; `announce`, what takes long (making an image). Failures that are no
    /// runner's own (mmdebstrap, the cache) are thrown as they are.
    public static func select(_ requested: RunnerKind?, configuration: RunnerConfiguration, needs: RunnerNeeds,
                              store: BuilderImageStore, note: (String) -> Void, announce: (String) -> Void) async throws -> Runner {
        try needs.requireEmulation()
        let candidates = (requested ?? configuration.runner).map { [$0] } ?? RunnerKind.detectionOrder
        var reasons: [String] = []
        for kind in candidates {
            let runner = make(kind, configuration)
            let clock = ContinuousClock.now
            if let reason = try await runner.reasonItCannotBuild(needs, store: store, announce: announce) {
                reasons.append("\(kind.rawValue): \(reason)")
                note("runner \(kind.rawValue) skipped: \(reason)")
                continue
            }
            let platforms = needs.probes.map(\.platform.ociPlatform).joined(separator: ", ")
            note("runner \(kind.rawValue) runs \(platforms.isEmpty ? "here" : platforms) (probed in \((ContinuousClock.now - clock).secondsText))")
            return runner
        }
        throw Problems([Problem(field: "--runner", "no container runner can build here (\(reasons.joined(separator: "; ")))",
                                hint: "install podman, docker or bubblewrap and QEMU's binfmt handlers (scripts/setup.sh does), or set runner options in pkgtree.json")])
    }

    /// Why this runner cannot build what `needs` says here, or nil when it can. Cheap checks
    /// first: a builder it cannot use at all fails before any image is made.
    func reasonItCannotBuild(_ needs: RunnerNeeds, store: BuilderImageStore, announce: (String) -> Void) async throws -> String? {
        guard ToolRunner.isInstalled(kind.rawValue) else { return "not installed" }
        if let failure = try await Self.failure(of: answersCommand) { return failure }
        for builder in needs.builders {
            if let unusable = try await unusable(builder) { return unusable.message }
        }
        for builder in needs.probes {
            let image: BuilderImage
            do {
                image = try await preparedImage(for: builder, store: store, docker: nil, origin: needs.origins[builder], announce: announce)
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
        case .recipe(_, let arch), .dockerfile(_, let arch), .dockerDirectory(_, let arch), .pinned(_, let arch), .tagged(_, let arch): arch
        }
    }
}
