import Foundation
import Glibc
import MountPlan

/// bubblewrap: a sandbox over an unpacked root filesystem, without an engine.
///
/// The image's rootfs is shared by every build and must never change, yet a build may write
/// anywhere (pkgpanda's scripts write `/build`, `/usr/bin`). Debian 12's bwrap 0.8 has no
/// `--overlay`, so the build runs on a kernel overlayfs: `unshare` makes a private mount
/// namespace (and, for a user other than root, a user namespace mapping them to root, where
/// the kernel allows the mounts too), `pkgtree-mount` carries out the build's `mountPlan` there and execs bwrap
/// — the overlay of the rootfs under an upper directory in the build's `layer`, and the install
/// root on a tmpfs with a bind mount per dependency — and `sh` execs bwrap with the merged tree
/// as its root. bwrap stays pkgtree's child, so `--die-with-parent` holds, and every mount
/// disappears with the namespace when the sandbox ends, however it ends.
public struct BwrapRunner: Sendable {
    public var tool: RunnerConfiguration.Tool
    /// Whether pkgtree runs as a user other than root, who needs a user namespace to mount.
    public var rootless: Bool
    /// The `pkgtree-mount` program.
    public var mountHelper: String

    public init(tool: RunnerConfiguration.Tool, rootless: Bool = geteuid() != 0, mountHelper: String = BwrapRunner.installedMountHelper) {
        self.tool = tool
        self.rootless = rootless
        self.mountHelper = mountHelper
    }

    /// `pkgtree-mount` beside the running executable, where `swift build` puts it.
    public static var installedMountHelper: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().child("pkgtree-mount").path
    }

    /// Where the build's files go inside its `layer`.
    struct Layer {
        var upper, work, root, dependencies, plan: String

        init(_ layer: URL) {
            (upper, work, root) = (layer.child("upper").path, layer.child("work").path, layer.child("root").path)
            (dependencies, plan) = (layer.child("dependencies").path, layer.child("mounts.plan").path)
        }
    }


    public func runCommand(_ invocation: BuildInvocation) -> ToolCommand {
        let layer = Layer(invocation.layer)
        var arguments = ["--mount", "--propagation", "private"]
        if rootless { arguments += ["--user", "--map-root-user"] }
        // pkgtree-mount mounts, then execs bwrap: pkgtree's child from start to end, and killed
        // with pkgtree even before bwrap's --die-with-parent holds.
        arguments += ["--", mountHelper, layer.plan, String(getpid()), "bwrap"]
        arguments += tool.globalOptions + sandboxArguments(invocation, root: layer.root)
        return ToolCommand("unshare", arguments, environment: tool.environment)
    }

    /// Writes the build's mount plan into its layer, for `runCommand` to carry out.
    public func stage(_ invocation: BuildInvocation) throws {
        guard FileManager.default.isExecutableFile(atPath: mountHelper) else {
            throw Problems([Problem(field: "--runner", "bwrap builds need pkgtree-mount, which is not at \(mountHelper)",
                                    hint: "install it beside pkgtree: `swift build` builds both into the same directory")])
        }
        try FileManager.default.createDirectory(at: invocation.layer, withIntermediateDirectories: true)
        try Data(mountPlan(invocation).encoded()).write(to: URL(fileURLWithPath: Layer(invocation.layer).plan))
    }

    /// The overlay root, then the install root: a tmpfs holding activation's entries, with each
    /// dependency bound read-only from the cache (one mount each, nothing written to disk), and
    /// the tmpfs made read-only. The unpacked copies' directory is bound read-only once, so that
    /// each dependency's bind of it inherits read-only, no-suid and no-dev.
    public func mountPlan(_ invocation: BuildInvocation) -> MountPlan {
        let layer = Layer(invocation.layer)
        let options = "lowerdir=\(Self.escape(invocation.image.rootfs.path)),upperdir=\(Self.escape(layer.upper)),workdir=\(Self.escape(layer.work))"
        let installRoot = invocation.installRoot
        let root = layer.root + installRoot.path
        var steps: [MountPlan.Step] = [
            .directory(layer.upper), .directory(layer.work), .directory(layer.root),
            .mount(source: "overlay", target: layer.root, type: "overlay", flags: [], data: options),
            .directory(root),
            .mount(source: "tmpfs", target: root, type: "tmpfs", flags: [.nosuid, .nodev], data: "mode=0755"),
        ]
        var staged: [String: String] = [:]  // directory holding unpacked copies -> where it is bound
        for dependency in installRoot.dependencies {
            let parent = dependency.content.deletingLastPathComponent().path
            guard staged[parent] == nil else { continue }
            let stage = "\(layer.dependencies)/\(staged.count)"
            staged[parent] = stage
            steps += [.directory(stage), .mount(source: parent, target: stage, type: "", flags: [.bind], data: ""),
                      .mount(source: "none", target: stage, type: "", flags: [.bind, .remount, .ro, .nosuid, .nodev], data: "")]
        }
        for entry in installRoot.entries {
            switch entry {
            case .directory(let path): steps.append(.directory("\(root)/\(path)"))
            case .symlink(let path, let target): steps.append(.symlink("\(root)/\(path)", target: target))
            case .file(let path, let data): steps.append(.file("\(root)/\(path)", contents: Array(data)))
            }
        }
        for dependency in installRoot.dependencies {
            let target = "\(root)/packages/\(dependency.id)"
            let source = "\(staged[dependency.content.deletingLastPathComponent().path]!)/\(dependency.content.lastPathComponent)"
            steps += [.directory(target), .mount(source: source, target: target, type: "", flags: [.bind], data: "")]
        }
        steps += [.directory("\(root)/packages/\(installRoot.outputID)"),
                  .mount(source: "none", target: root, type: "", flags: [.remount, .ro, .nosuid, .nodev], data: "")]
        return MountPlan(steps)
    }

    /// bwrap's own arguments: the merged tree as the root, the invocation's mounts, every
    /// namespace unshared (no network unless the package asks for it), exactly the
    /// invocation's environment, and `/` as the working directory. Standard input is pkgtree's
    /// own, which is nothing for a build and a person's terminal for `pkgtree shell`.
    private func sandboxArguments(_ invocation: BuildInvocation, root: String) -> [String] {
        var arguments = ["--bind", root, "/", "--proc", "/proc", "--dev", "/dev"]
        for mount in invocation.mounts {
            arguments += [mount.readOnly ? "--ro-bind" : "--bind", mount.host, mount.container]
        }
        arguments.append("--unshare-all")
        if invocation.network { arguments.append("--share-net") }
        arguments.append("--die-with-parent")
        // A new session keeps a build from pushing input into the terminal (TIOCSTI); a person's
        // shell needs that terminal as its own, to control its jobs and get ^C.
        if invocation.attachment?.terminal != true { arguments.append("--new-session") }
        arguments.append("--clearenv")
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

    /// Runs `true` in a throwaway read-only sandbox of `rootfs`: whether bwrap runs that
    /// image's binaries here (a foreign one through QEMU's binfmt handler).
    public func probeRunCommand(rootfs: URL) -> ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", rootfs.path, "/", "--proc", "/proc", "--dev", "/dev",
                                                   "--unshare-all", "--die-with-parent", "--clearenv", "--", "/bin/true"],
                    environment: tool.environment)
    }
}
