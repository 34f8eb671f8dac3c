import Foundation

/// One build as every runner sees it: an image, what to mount where, the environment and the
/// command. The runner turns it into podman, docker or bwrap arguments. Whatever else the
/// build writes lands in a throwaway layer over the image (the container's, or for bwrap an
/// overlay in `layer`) and is gone when the build ends; the working directory is the image's
/// (`/` for recipe images), as in pkgpanda's containers.
public struct BuildInvocation: Sendable {
    public struct Mount: Sendable, Hashable {
        public var host: String
        public var container: String
        public var readOnly: Bool

        public init(host: String, container: String, readOnly: Bool) {
            self.host = host
            self.container = container
            self.readOnly = readOnly
        }
    }

    /// Names the container (podman, docker), so that an interrupted build's container can be
    /// found and removed: `podman ps -a --filter name=pkgtree-` lists any that is left.
    public var name: String
    /// The architecture whose binaries run in the container (the builder's, not always the target's).
    public var platform: Architecture
    public var image: BuilderImage
    /// Sorted so that a parent directory is mounted before what is mounted inside it.
    public var mounts: [Mount]
    public var environment: [String: String]
    public var network: Bool
    public var command: [String]
    /// Mounted at its `path` before `mounts` (the output is mounted inside it).
    public var installRoot: InstallRoot
    /// A directory of the build's own (under `cache/tmp/`, removed after the build) for a
    /// runner's throwaway layer: bwrap keeps its overlay's upper and work directories there.
    public var layer: URL
    /// A person's shell in the build environment (`pkgtree shell`) rather than a build: nil for
    /// a build, which reads no input and writes its log.
    public var attachment: Attachment?

    /// How `pkgtree shell` attaches to its container: standard input reaches the command, which
    /// takes the place of the image's entrypoint (so that a shell starts, whatever the image
    /// runs), and when standard input is a terminal the command gets one too.
    public struct Attachment: Sendable, Hashable {
        public var terminal: Bool

        public init(terminal: Bool) {
            self.terminal = terminal
        }
    }

    public init(name: String, platform: Architecture, image: BuilderImage, installRoot: InstallRoot, mounts: [Mount],
                environment: [String: String], network: Bool, command: [String], layer: URL) {
        self.name = name
        self.platform = platform
        self.image = image
        self.installRoot = installRoot
        self.mounts = mounts.sorted { ($0.container.split(separator: "/").count, $0.container) < ($1.container.split(separator: "/").count, $1.container) }
        self.environment = environment
        self.network = network
        self.command = command
        self.layer = layer
    }

    /// `pkgtree-<name>--[<version_extra>-]<first 12 hex digits of the hash>-<pid>`: readable in
    /// `podman ps`, unique per build (one process never builds an id twice at once; two
    /// processes differ by pid).
    public static func name(for id: PackageID, processID: Int32 = getpid()) -> String {
        var short = id
        short.hash = String(id.hash.prefix(12))
        return "pkgtree-\(short)-\(processID)"
    }
}

/// A builder image as a runner uses it: an engine image name for podman/docker, an unpacked
/// root filesystem for bwrap.
public struct BuilderImage: Sendable, Hashable {
    /// e.g. `localhost/pkgtree/builder-aarch64:3f2a…`
    public var reference: String
    /// `cache/images/<arch>/<image-id>/rootfs`
    public var rootfs: URL
    /// Its environment, entrypoint and working directory.
    public var config: ImageConfig

    public init(reference: String, rootfs: URL, config: ImageConfig = ImageConfig()) {
        self.reference = reference
        self.rootfs = rootfs
        self.config = config
    }
}
