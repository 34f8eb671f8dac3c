import Foundation

/// podman and docker: one code path where their command lines agree, with the few places
/// they differ spelled out.
public struct EngineRunner: Sendable {
    public var kind: RunnerKind
    public var tool: RunnerConfiguration.Tool

    public init(kind: RunnerKind, tool: RunnerConfiguration.Tool) {
        precondition(kind.usesEngineImages, "bwrap has its own runner")
        self.kind = kind
        self.tool = tool
    }

    /// The engine bwrap builds Dockerfile images with: podman (no daemon to need), else docker;
    /// nil when neither is installed.
    static func forImages(_ configuration: RunnerConfiguration) -> EngineRunner? {
        [RunnerKind.podman, .docker].first { ToolRunner.isInstalled($0.rawValue) }
            .map { EngineRunner(kind: $0, tool: configuration.tool($0)) }
    }

    private func command(_ arguments: [String]) -> ToolCommand {
        ToolCommand(kind.rawValue, tool.globalOptions + arguments, environment: tool.environment)
    }

    /// `run`: the container's own layer, removed with it (`--rm`), is the build's throwaway
    /// root: the build may write anywhere, and only its mounts outlive it. The working
    /// directory is the image's, as in pkgpanda's `docker run`. A package that asks for the
    /// network gets the host's, as with bwrap and as an image's setup does: an engine's default
    /// bridge may not exist (a dockerd started with `--bridge=none` gives a container only
    /// `lo`), and proxies or mirrors on the host's loopback answer the same on every runner.
    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        var arguments = ["run", "--rm", "--platform", invocation.platform.ociPlatform]
        arguments += ["--network", invocation.network ? "host" : "none"]
        let installRoot = BuildInvocation.Mount(host: Self.installRootDirectory(invocation).path,
                                                container: invocation.installRoot.path, readOnly: true)
        for mount in [installRoot] + invocation.mounts {
            arguments += ["-v", "\(mount.host):\(mount.container):\(mount.readOnly ? "ro" : "rw")"]
        }
        for (key, value) in invocation.environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["-e", "\(key)=\(value)"]
        }
        var command = invocation.command
        if let attachment = invocation.attachment, let first = command.first {
            arguments += ["--interactive"] + (attachment.terminal ? ["--tty"] : []) + ["--entrypoint", first]
            command.removeFirst()
        }
        arguments += ["--name", invocation.name, invocation.image.reference]
        return self.command(arguments + command)
    }

    /// Where `stage` prepares the install root, on the host.
    static func installRootDirectory(_ invocation: BuildInvocation) -> URL {
        invocation.layer.child("install-root")
    }

    /// Prepares the install root as a host directory: a hard-link farm of the dependencies.
    public func stage(_ invocation: BuildInvocation) throws {
        try BuildInstallRoot.materialize(invocation.installRoot, at: Self.installRootDirectory(invocation))
    }

    /// Prints the image's config as JSON (`ImageConfig.parse` reads it): its environment, and
    /// its entrypoint, through which a build script runs as `docker run IMAGE SCRIPT` would.
    public func configCommand(_ reference: String) -> ToolCommand {
        command(["image", "inspect", "--format", "{{json .Config}}", reference])
    }

    /// Creates (never starts) a container of `reference`, printing its id: what `export` reads.
    public func createCommand(_ reference: String, platform: Architecture) -> ToolCommand {
        command(["create", "--pull", "never", "--platform", platform.ociPlatform, "--network", "none", reference, "true"])
    }

    /// Writes the root filesystem of `container` to `archive` as a tarball.
    public func exportCommand(container: String, to archive: String) -> ToolCommand {
        command(["export", "--output", archive, container])
    }

    /// Removes a container `createCommand` made.
    public func removeCommand(container: String) -> ToolCommand {
        command(["rm", "--force", container])
    }

    /// Kills and removes the build's container at once. Signals to the `run` client do not
    /// stop it: the container lives on under conmon, and its bash, as PID 1, ignores SIGTERM.
    public func stopCommand(_ invocation: BuildInvocation) -> ToolCommand {
        switch kind {
        case .docker: command(["rm", "--force", invocation.name])
        default: command(["rm", "--force", "--ignore", "--time", "0", invocation.name])
        }
    }

    /// Loads an image archive (`ImageArchive`): unlike `import`, whose `--platform` Docker
    /// 20.10 ignores, the archive's config carries the image's platform.
    public func loadCommand(archive: String) -> ToolCommand {
        command(["load", "--input", archive])
    }

    /// Prints `os/architecture` of a local image; fails when there is none. `withHistory`, on
    /// podman: then ` <n>`, the number of its history entries (docker's inspect has none).
    public func imagePlatformCommand(_ reference: String, withHistory: Bool = false) -> ToolCommand {
        let history = withHistory && kind == .podman ? " {{len .History}}" : ""
        return command(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}" + history, reference])
    }

    /// Runs `true` in a throwaway container of `platform`: whether this engine runs that
    /// platform's binaries at all (a daemon without QEMU, a remote one, a broken runtime).
    /// `--pull never`: a local image of the wrong platform fails here, never reaches for a registry.
    /// `true` is the entrypoint: an image's own (dcos-builder's bash) would take it for a script.
    public func probeRunCommand(image: String, platform: Architecture) -> ToolCommand {
        command(["run", "--rm", "--pull", "never", "--platform", platform.ociPlatform, "--network", "none", "--entrypoint", "true", image])
    }

    /// Builds a Dockerfile directory (a package's `docker/`, the tree's builder) for the
    /// target platform.
    public func buildCommand(context: String, reference: String, arch: Architecture, buildArguments: [String: String]) -> ToolCommand {
        var arguments = ["build", "--platform", arch.ociPlatform, "--tag", reference]
        for (key, value) in buildArguments.sorted(by: { $0.key < $1.key }) { arguments += ["--build-arg", "\(key)=\(value)"] }
        return command(arguments + [context])
    }

    /// Whether the engine has `reference` locally as an image of `arch` (an image of another
    /// platform under that name would make `run --platform` look for it in a registry).
    /// `withHistory`: for an image whose config pkgtree writes, podman's copy must list its
    /// history too; one an older pkgtree loaded without it cannot be built on (`OCIImageConfig`)
    /// and counts as missing, so it is loaded again.
    public func hasImage(_ reference: String, for arch: Architecture, withHistory: Bool = false) async throws -> Bool {
        let inspected = try await ToolRunner.capture(imagePlatformCommand(reference, withHistory: withHistory))
        let platform = arch.imagePlatform
        let fields = inspected.output.split(whereSeparator: \.isWhitespace)
        guard inspected.status == 0, fields.first == "\(platform.os)/\(platform.architecture)" else { return false }
        guard withHistory, kind == .podman else { return fields.count == 1 }
        return fields.count == 2 && (Int(fields[1]) ?? 0) > 0
    }

    /// Succeeds when the image exists locally.
    public func imageExistsCommand(_ reference: String) -> ToolCommand {
        kind == .podman ? command(["image", "exists", reference]) : command(["image", "inspect", reference])
    }

    /// Succeeds when the engine answers (docker's client exists without a daemon).
    public var probeCommand: ToolCommand {
        command(["info"])
    }
}
