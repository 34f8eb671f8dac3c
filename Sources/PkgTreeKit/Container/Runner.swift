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

    static func make(_ kind: RunnerKind, _ configuration: RunnerConfiguration) -> Runner {
        kind == .bwrap ? .bwrap(BwrapRunner(tool: configuration.tool(.bwrap), imageEngine: EngineRunner.forImages(configuration)))
            : .engine(EngineRunner(kind: kind, tool: configuration.tool(kind)))
    }
}
