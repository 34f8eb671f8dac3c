import Foundation

/// bubblewrap: a sandbox over an unpacked root filesystem, without an engine.
public struct BwrapRunner: Sendable {
    public var tool: RunnerConfiguration.Tool

    public init(tool: RunnerConfiguration.Tool) {
        self.tool = tool
    }

    /// The root is bound writable only while bwrap creates the mount points, then remounted
    /// read-only before the build starts; every namespace is unshared (no network unless the
    /// package asks for it) and the environment is exactly the invocation's.
    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        var arguments = tool.globalOptions
        arguments += ["--bind", invocation.image.rootfs.path, "/", "--proc", "/proc", "--dev", "/dev",
                      "--tmpfs", "/tmp"]
        for mount in invocation.mounts {
            arguments += [mount.readOnly ? "--ro-bind" : "--bind", mount.host, mount.container]
        }
        arguments += ["--remount-ro", "/", "--unshare-all"]
        if invocation.network { arguments.append("--share-net") }
        arguments += ["--die-with-parent", "--new-session", "--clearenv"]
        for (key, value) in invocation.environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--setenv", key, value]
        }
        arguments += ["--chdir", invocation.workingDirectory, "--"]
        return ToolCommand("bwrap", arguments + invocation.command, environment: tool.environment)
    }

    /// Runs `true` in a throwaway sandbox of the host's own root: proves bwrap works here.
    public var probeCommand: ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                                                   "--unshare-all", "--die-with-parent", "true"],
                    environment: tool.environment)
    }

    /// Runs `true` in a throwaway read-only sandbox of `rootfs`: whether bwrap runs that
    /// image's binaries here (a foreign one through QEMU's binfmt handler).
    public func probeRunCommand(rootfs: URL) -> ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", rootfs.path, "/", "--proc", "/proc", "--dev", "/dev",
                                                   "--unshare-all", "--die-with-parent", "--clearenv", "--", "/bin/true"],
                    environment: tool.environment)
    }
}
