import Foundation

/// The runner a build uses: an engine (podman, docker) or bwrap, chosen by `--runner`, the
/// configuration, or the first that works here.
public enum Runner: Sendable {
    case engine(EngineRunner)
    case bwrap(BwrapRunner)

    public var kind: RunnerKind {
        switch self {
        case .engine(let engine): engine.kind
        case .bwrap: .bwrap
        }
    }

    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        switch self {
        case .engine(let engine): engine.runCommand(invocation)
        case .bwrap(let bwrap): bwrap.runCommand(invocation)
        }
    }

    /// Prepares what `runCommand` needs in the build's layer (its install root, or the plan
    /// that assembles it).
    public func stage(_ invocation: BuildInvocation) throws {
        switch self {
        case .engine(let engine): try engine.stage(invocation)
        case .bwrap(let bwrap): try bwrap.stage(invocation)
        }
    }

    /// What stops a running build for good when it is interrupted, beyond signalling the
    /// process `runCommand` started: nothing for bwrap, whose sandbox dies with it.
    public func stopCommand(_ invocation: BuildInvocation) -> ToolCommand? {
        switch self {
        case .engine(let engine): engine.stopCommand(invocation)
        case .bwrap: nil
        }
    }

    /// The entrypoint of `image`, empty when it has none (always, for bwrap's recipe-built
    /// root filesystems).
    public func entrypoint(_ image: BuilderImage) async throws -> [String] {
        guard case .engine(let engine) = self else { return [] }
        let inspect = try await ToolRunner.capture(engine.entrypointCommand(image.reference))
        let printed = inspect.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if inspect.status == 0, ["", "null"].contains(printed) { return [] }
        guard inspect.status == 0, let entrypoint = try? JSONDecoder().decode([String].self, from: Data(printed.utf8)) else {
            throw Problems([Problem(field: "docker", "cannot read the entrypoint of builder image '\(image.reference)': \(inspect.output)",
                                    hint: "check that `\(engine.entrypointCommand(image.reference))` works")])
        }
        return entrypoint
    }

    static func make(_ kind: RunnerKind, _ configuration: RunnerConfiguration) -> Runner {
        kind == .bwrap ? .bwrap(BwrapRunner(tool: configuration.tool(.bwrap)))
            : .engine(EngineRunner(kind: kind, tool: configuration.tool(kind)))
    }
}
