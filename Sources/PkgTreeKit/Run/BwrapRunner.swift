import Glibc

/// bubblewrap: a sandbox over an unpacked root filesystem, without an engine.
///
/// The image's rootfs is shared by every build and must never change, yet a build may write
/// anywhere (pkgpanda's scripts write `/build`, `/usr/bin`). Debian 12's bwrap 0.8 has no
/// `--overlay`, so the build runs on a kernel overlayfs: `unshare` makes a private mount
/// namespace (and, for a user other than root, a user namespace mapping them to root, where
/// the kernel allows the overlay too), `sh` mounts the rootfs as the lower layer under an upper
/// directory in the build's `layer`, and execs bwrap with the merged tree as its root. Each
/// step execs the next, so bwrap stays pkgtree's child and `--die-with-parent` holds; the
/// overlay disappears with the namespace when the sandbox ends, however it ends.
public struct BwrapRunner: Sendable {
    public var tool: RunnerConfiguration.Tool
    /// Whether pkgtree runs as a user other than root, who needs a user namespace to mount.
    public var rootless: Bool

    public init(tool: RunnerConfiguration.Tool, rootless: Bool = geteuid() != 0) {
        self.tool = tool
        self.rootless = rootless
    }

    /// Where the overlay's directories go inside the build's `layer`.
    public static func overlay(in layer: String) -> (upper: String, work: String, root: String) {
        ("\(layer)/upper", "\(layer)/work", "\(layer)/root")
    }

    /// Mounts the overlay (`$4` its options) on `$3`, then runs the rest of the arguments.
    static let mountThenExec = #"mkdir -p "$1" "$2" "$3" && mount -t overlay overlay -o "$4" "$3" && shift 4 && exec "$@""#

    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        let (upper, work, root) = Self.overlay(in: invocation.layer.path)
        let options = "lowerdir=\(Self.escape(invocation.image.rootfs.path)),upperdir=\(Self.escape(upper)),workdir=\(Self.escape(work))"
        var arguments = ["--mount", "--propagation", "private"]
        if rootless { arguments += ["--user", "--map-root-user"] }
        arguments += ["--", "/bin/sh", "-c", Self.mountThenExec, "sh", upper, work, root, options, "bwrap"]
        arguments += tool.globalOptions + sandboxArguments(invocation, root: root)
        return ToolCommand("unshare", arguments, environment: tool.environment)
    }

    /// bwrap's own arguments: the merged tree as the root, the invocation's mounts, every
    /// namespace unshared (no network unless the package asks for it), exactly the
    /// invocation's environment, and `/` as the working directory.
    private func sandboxArguments(_ invocation: BuildInvocation, root: String) -> [String] {
        var arguments = ["--bind", root, "/", "--proc", "/proc", "--dev", "/dev"]
        for mount in invocation.mounts {
            arguments += [mount.readOnly ? "--ro-bind" : "--bind", mount.host, mount.container]
        }
        arguments.append("--unshare-all")
        if invocation.network { arguments.append("--share-net") }
        arguments += ["--die-with-parent", "--new-session", "--clearenv"]
        for (key, value) in invocation.environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--setenv", key, value]
        }
        return arguments + ["--chdir", "/", "--"] + invocation.command
    }

    /// A user other than root is root only inside their user namespace: a rootfs owned by
    /// anyone else (a cache root unpacked) shows its files as `nobody`'s there, and the
    /// overlay cannot copy one up to change it, so every build writing `/usr` would fail.
    public func checkOwnership(of image: BuilderImage) throws(Problems) {
        guard rootless, let owner = FileStatus.of(image.rootfs.path)?.owner, owner != geteuid() else { return }
        throw Problems([Problem(field: "--runner", "the bwrap root filesystem \(image.rootfs.path) belongs to user \(owner), not to you (\(geteuid())), so a build could not change its files",
                                hint: "use a cache whose images/ is your own (--cache DIR or PKGTREE_CACHE, not linked to a shared images/): pkgtree unpacks the image there as you")])
    }

    /// overlayfs splits its options at `,` and `lowerdir` at `:`; a backslash escapes both.
    static func escape(_ path: String) -> String {
        path.reduce(into: "") { escaped, character in
            if character == "\\" || character == "," || character == ":" { escaped.append("\\") }
            escaped.append(character)
        }
    }

    /// Runs `true` in a throwaway sandbox of the host's own root: proves bwrap works here.
    public var probeCommand: ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                                                   "--unshare-all", "--die-with-parent", "true"],
                    environment: tool.environment)
    }
}
