import Foundation
import Glibc
import MountPlan

/// bubblewrap: a sandbox over an unpacked root filesystem, without an engine.
///
/// The image's rootfs is shared by every build and must never change, yet a build may write
/// anywhere (pkgpanda's scripts write `/build`, `/usr/bin`). Debian 12's bwrap 0.8 has no
/// `--overlay`, so the build runs on a kernel overlayfs: `unshare` makes a private mount
/// namespace (and, for a user other than root, a user namespace mapping them to root, where
/// the kernel allows the mounts too), `pkgtree-mount` carries out the build's `mountPlan` there
/// — the overlay of the rootfs under an upper directory in the build's `layer`, and the install
/// root as a read-only overlay of the dependencies' unpacked copies — and execs bwrap with the
/// merged tree as its root. bwrap stays pkgtree's child, so `--die-with-parent` holds, and every
/// mount disappears with the namespace when the sandbox ends, however it ends.
public struct BwrapRunner: Sendable {
    public var tool: RunnerConfiguration.Tool
    /// Whether pkgtree runs as a user other than root, who needs a user namespace to mount.
    public var rootless: Bool
    /// The `pkgtree-mount` program.
    public var mountHelper: String

    /// The engine that builds the tree's Dockerfile builder, whose root filesystem bwrap then
    /// runs (`BuilderImageStore.exportedImage`); nil when none is installed.
    public var imageEngine: EngineRunner?

    public init(tool: RunnerConfiguration.Tool, rootless: Bool = geteuid() != 0, mountHelper: String = BwrapRunner.installedMountHelper,
                imageEngine: EngineRunner? = nil) {
        self.tool = tool
        self.rootless = rootless
        self.mountHelper = mountHelper
        self.imageEngine = imageEngine
    }

    /// `pkgtree-mount` beside the running executable, where `swift build` puts it.
    public static var installedMountHelper: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().child("pkgtree-mount").path
    }

    /// Where the build's files go inside its `layer`: the overlay root's directories on disk,
    /// the large files, and `scratch`, where a tmpfs holds the install root's own layer
    /// (`skeleton`) and the mount points of the dependency groups (`groups/<n>`), so that
    /// nothing is made on disk per group either.
    struct Layer {
        var directory, upper, work, root, scratch, files, plan: String
        var skeleton: String { scratch + "/skeleton" }
        var groups: String { scratch + "/groups" }

        init(_ layer: URL) {
            directory = layer.path
            (upper, work, root) = (layer.child("upper").path, layer.child("work").path, layer.child("root").path)
            (scratch, files, plan) = (layer.child("scratch").path, layer.child("files").path, layer.child("mounts.plan").path)
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
        let (plan, files) = mountPlan(invocation)
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: Layer(invocation.layer).files), withIntermediateDirectories: true)
        for (path, contents) in files {
            try contents.write(toFile: path)
        }
        try Data(plan.encoded()).write(to: URL(fileURLWithPath: Layer(invocation.layer).plan))
    }

    /// Files of activation larger than this are bound from the build's layer rather than
    /// written by pkgtree-mount: `active.buildinfo.full.json` holds every dependency's
    /// `buildinfo.full.json`, megabytes deep in a large tree, and would go through the plan.
    static let largeFile = 64 << 10

    /// The overlay root, then the install root: a read-only overlay whose layers are a
    /// directory on a tmpfs holding activation's entries and the mount point of the output, and
    /// the dependencies' unpacked copies (each holds `packages/<id>/`). The copies are stacked by the dozen in
    /// overlays of their own (a mount takes one page of options; relative layer paths keep
    /// ~80 to a page), which the install root stacks in turn: a thousand dependencies cost
    /// about a dozen mounts and nothing on disk. A mount per dependency cost more: bwrap reads
    /// the whole mount table for each of its own binds. Large files are bound last, from
    /// `files` (path in the layer, contents), which `stage` writes.
    public func mountPlan(_ invocation: BuildInvocation) -> (plan: MountPlan, files: [(path: String, contents: Activation.Contents)]) {
        let layer = Layer(invocation.layer)
        let options = "lowerdir=\(Self.escape(invocation.image.rootfs.path)),upperdir=\(Self.escape(layer.upper)),workdir=\(Self.escape(layer.work))"
        let installRoot = invocation.installRoot
        var steps: [MountPlan.Step] = [
            .directory(layer.upper), .directory(layer.work), .directory(layer.root),
            .mount(source: "overlay", target: layer.root, type: "overlay", flags: [], data: options),
            .directory(layer.scratch),
            .mount(source: "tmpfs", target: layer.scratch, type: "tmpfs", flags: [.nosuid, .nodev], data: "mode=0755"),
            .directory(layer.skeleton),
        ]
        var files: [(path: String, contents: Activation.Contents)] = [], bound: [String] = []
        let linkedByLayers = Self.linksInLayers(installRoot.dependencies)
        for entry in installRoot.entries {
            switch entry {
            case .symlink(let path, let target) where linkedByLayers[path] == target: continue
            case .directory(let path): steps.append(.directory("\(layer.skeleton)/\(path)"))
            case .symlink(let path, let target): steps.append(.symlink("\(layer.skeleton)/\(path)", target: target))
            case .file(let path, let contents) where contents.count > Self.largeFile:
                steps.append(.file("\(layer.skeleton)/\(path)", contents: []))  // the mount point
                files.append(("\(layer.files)/\(files.count)", contents))
                bound.append(path)
            case .file(let path, let contents): steps.append(.file("\(layer.skeleton)/\(path)", contents: Array(contents.data)))
            }
        }
        steps.append(.directory("\(layer.skeleton)/packages/\(installRoot.outputID)"))
        var layers = ["skeleton"]  // the install root's layers, relative to the scratch tmpfs
        let byParent = Dictionary(grouping: installRoot.dependencies, by: \.layerParent)
        for parent in byParent.keys.sorted() {
            steps.append(.changeDirectory(parent))
            for group in Self.groups(byParent[parent]!.map(\.layerName)) {
                guard group.count > 1 else {  // an overlay needs two layers, or an upper directory
                    layers.append("\(parent)/\(group[0])")
                    continue
                }
                let target = "groups/\(layers.count)"
                steps += [.directory("\(layer.scratch)/\(target)"),
                          .mount(source: "overlay", target: "\(layer.scratch)/\(target)", type: "overlay", flags: [.nosuid, .nodev],
                                 data: "lowerdir=" + group.map(Self.escape).joined(separator: ":"))]
                layers.append(target)
            }
        }
        let root = layer.root + installRoot.path
        steps += [.mount(source: "none", target: layer.scratch, type: "", flags: [.remount, .ro, .nosuid, .nodev], data: ""),
                  .directory(root)]
        if layers.count == 1 {
            steps += [.mount(source: layer.skeleton, target: root, type: "", flags: [.bind], data: ""),
                      .mount(source: "none", target: root, type: "", flags: [.bind, .remount, .ro, .nosuid, .nodev], data: "")]
        } else {
            steps += [.changeDirectory(layer.scratch),
                      .mount(source: "overlay", target: root, type: "overlay", flags: [.nosuid, .nodev],
                             data: "lowerdir=" + layers.map(Self.escape).joined(separator: ":"))]
        }
        // The overlay keeps its layers; the mounts they came from would only lengthen the mount
        // table, which bwrap reads at every bind (a group's options fill a page of it). One lazy
        // detach of the tmpfs takes the groups mounted on it too: each umount waits for an RCU
        // grace period, which a group apiece cost a deep build a dozen times over.
        steps.append(.detach(layer.scratch))
        for (file, path) in zip(files, bound) {
            steps += [.mount(source: file.path, target: "\(root)/\(path)", type: "", flags: [.bind], data: ""),
                      .mount(source: "none", target: "\(root)/\(path)", type: "", flags: [.bind, .remount, .ro, .nosuid, .nodev], data: "")]
        }
        return (MountPlan(steps), files)
    }

    /// The links the dependencies' layers hold (`active/<name>`), by path, each with its target:
    /// a deep build has a thousand, which the layers bring without a system call. A path that
    /// two layers hold is left out, for the install root's own layer to decide.
    static func linksInLayers(_ dependencies: [BuildInvocation.InstallRoot.Dependency]) -> [String: String] {
        var links: [String: String] = [:], shared: [String] = []
        for dependency in dependencies {
            guard let path = dependency.activeLink else { continue }
            if links.updateValue("../packages/\(dependency.id)", forKey: path) != nil { shared.append(path) }
        }
        for path in shared { links[path] = nil }
        return links
    }

    /// Splits layer names so that each group's `lowerdir=` option fits the page a mount takes.
    static func groups(_ names: [String], budget: Int = 3_900) -> [[String]] {
        var groups: [[String]] = []
        var size = budget
        for name in names {
            let length = escape(name).utf8.count + 1
            if size + length > budget {
                groups.append([])
                size = "lowerdir=".utf8.count
            }
            groups[groups.count - 1].append(name)
            size += length
        }
        return groups
    }

    /// bwrap's own arguments: the merged tree as the root, the invocation's mounts, every
    /// namespace unshared (no network unless the package asks for it), exactly the
    /// invocation's environment, and what an engine takes from the image's config: its working
    /// directory (`/` unless it has one) and, for a build, its entrypoint before the command (a
    /// person's shell takes the entrypoint's place, as on an engine). Standard input is
    /// pkgtree's own, which is nothing for a build and a person's terminal for `pkgtree shell`.
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
        let config = invocation.image.config
        let entrypoint = invocation.attachment == nil ? config.entrypoint : []
        return arguments + ["--chdir", config.workingDirectory ?? "/", "--"] + entrypoint + invocation.command
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
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ":") }) else {
            return path
        }
        return path.reduce(into: "") { escaped, character in
            if character == "\\" || character == "," || character == ":" { escaped.append("\\") }
            escaped.append(character)
        }
    }

    /// The probes share the host's network: a new network namespace needs its loopback set up
    /// under the kernel's global network lock, which other containers' teardown can hold for
    /// seconds (seen here: a probe's sandbox stuck in `inet_rtm_newaddr`, outliving a killed
    /// pkgtree), and running `true` needs no network.
    static let probeNamespaces = ["--unshare-all", "--share-net", "--die-with-parent"]

    /// Runs `true` in a throwaway sandbox of the host's programs: proves bwrap works here. Only
    /// `/usr` and what leads into it, not the whole root: bwrap remounts every mount below
    /// what it binds, and a container another process removes meanwhile (its `shm`, under
    /// `/var/lib/containers`) failed the probe.
    public var probeCommand: ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", "/usr", "/usr", "--ro-bind-try", "/bin", "/bin",
                                                   "--ro-bind-try", "/lib", "/lib", "--ro-bind-try", "/lib64", "/lib64",
                                                   "--proc", "/proc", "--dev", "/dev"]
                        + Self.probeNamespaces + ["true"],
                    environment: tool.environment)
    }

    /// Runs `true` in a throwaway read-only sandbox of `rootfs`: whether bwrap runs that
    /// image's binaries here (a foreign one through QEMU's binfmt handler).
    public func probeRunCommand(rootfs: URL) -> ToolCommand {
        ToolCommand("bwrap", tool.globalOptions + ["--ro-bind", rootfs.path, "/", "--proc", "/proc", "--dev", "/dev"]
                        + Self.probeNamespaces + ["--clearenv", "--", "/bin/true"],
                    environment: tool.environment)
    }
}
