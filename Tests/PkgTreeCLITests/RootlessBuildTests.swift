import Foundation
import Subprocess
import Testing
import RegistryTestSupport

/// bwrap builds as an ordinary user, as users run pkgtree: `unshare` maps them to root in a
/// user namespace, where the kernel mounts the overlay too. The test creates a system user
/// (`pkgtree-test`) and runs a copy of the built pkgtree as that user with `setpriv`.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct RootlessBuildTests {
    static let user = "pkgtree-test"

    /// `lib` writes a file; `app` requires it and does what a pkgpanda script does.
    static let tree = [
        "lib/buildinfo.json": "{}",
        "lib/build": "mkdir -p \"$PKG_PATH/lib\"\necho from-lib > \"$PKG_PATH/lib/data\"\n",
        "app/buildinfo.json": #"{"requires": ["lib"], "single_source": {"kind": "git_local", "rel_path": "src"}}"#,
        "app/src/input": "input\n",
        "app/build": """
            mkdir -p build /build "$PKG_PATH/share"
            echo tool > /usr/bin/app-tool
            echo edited >> /pkg/src/app/input
            cat /opt/mesosphere/active/lib/lib/data /pkg/src/app/input /usr/bin/app-tool > "$PKG_PATH/share/seen"
            id -u >> "$PKG_PATH/share/seen"

            """,
    ]

    static func ensureUser() async throws {
        if try await CLIRunner.runTool("/usr/bin/id", ["-u", user]).status == 0 { return }
        let add = try await CLIRunner.runTool("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home",
                                                                    "--shell", "/usr/sbin/nologin", user])
        #expect(add.status == 0, "useradd: \(add.stderr)")
    }

    /// Copies pkgtree and pkgtree-mount where the user can run them, returning pkgtree's copy.
    static func install(in home: URL) throws -> URL {
        let built = URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent()
        for program in ["pkgtree", "pkgtree-mount"] {
            try FileManager.default.copyItem(at: built.appendingPathComponent(program), to: home.appendingPathComponent(program))
        }
        return home.appendingPathComponent("pkgtree")
    }

    /// Runs `pkgtree` (a copy the user can execute) as the test user.
    static func runAsUser(_ binary: URL, _ arguments: [String], home: URL) async throws -> CLIRunner.Outcome {
        try await CLIRunner.runTool("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--", binary.path] + arguments,
                                    environment: ["HOME": home.path, "PKGTREE_OUTPUT": home.appendingPathComponent("release").path])
    }

    static func giveToUser(_ paths: [URL]) async throws {
        for path in paths {
            let chown = try await CLIRunner.runTool("/bin/chown", ["\(user):\(user)", path.path])
            #expect(chown.status == 0, "\(chown.stderr)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "making a user to build as needs root; run as an ordinary user, every bwrap test is one"))
    func anOrdinaryUserBuildsWithBwrapOnARootfsOfTheirOwn() async throws {
        try await Self.ensureUser()
        let scratch = try ScratchTree(Self.tree)
        let home = scratch.directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let binary = try Self.install(in: home)
        let (cache, rootfs) = try await PrivateRootfs.cache(in: home, packages: scratch.packages)
        // Only directories change hands: the tarball is a hard link to the shared one.
        var owned = [home, cache]
        var directory = rootfs.deletingLastPathComponent()
        while directory.path != cache.path {
            owned.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        try await Self.giveToUser(owned)
        let arguments = ["--arch", "x86_64", "--runner", "bwrap", "--packages", scratch.packages.path, "--cache", cache.path]

        let image = try await Self.runAsUser(binary, ["image", "build"] + arguments, home: home)
        #expect(image.status == 0, "\(image.stdout)\(image.stderr)")
        #expect(owner(rootfs) == owner(home), "pkgtree unpacked the rootfs as the user")
        let before = try await PrivateRootfs.digest(rootfs)
        let build = try await Self.runAsUser(binary, ["build"] + arguments, home: home)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(try await ArtifactContent.read("share/seen", of: "app", cache: cache) == "from-lib\ninput\nedited\ntool\n0\n")
        #expect(try await PrivateRootfs.digest(rootfs) == before, "the rootfs changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path).isEmpty,
                "the build's scratch (an overlay work directory of mode 000) was not removed")
        #expect(try String(contentsOf: scratch.packages.appendingPathComponent("app/src/input"), encoding: .utf8) == "input\n")
    }

    @Test(.enabled(if: getuid() == 0, "making a user to build as needs root"))
    func anOrdinaryUserOnSomeoneElsesRootfsIsToldToUseTheirOwnCache() async throws {
        try await Self.ensureUser()
        let scratch = try ScratchTree(Self.tree)
        let home = scratch.directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let binary = try Self.install(in: home)
        // Root unpacks the rootfs in its cache; the user's own cache shares root's images.
        let (rootCache, rootfs) = try await PrivateRootfs.cache(in: scratch.directory, packages: scratch.packages)
        let image = try await CLIRunner.run(["image", "build", "--arch", "x86_64", "--runner", "bwrap",
                                             "--packages", scratch.packages.path, "--cache", rootCache.path], cache: rootCache)
        #expect(image.status == 0, "\(image.stderr)")
        let cache = home.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: cache.appendingPathComponent("images"),
                                                   withDestinationURL: rootCache.appendingPathComponent("images"))
        try await Self.giveToUser([home, cache])
        let arguments = ["--arch", "x86_64", "--runner", "bwrap", "--packages", scratch.packages.path, "--cache", cache.path]
        let build = try await Self.runAsUser(binary, ["build"] + arguments, home: home)
        #expect(build.status == 2, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains("/images/x86_64/\(rootfs.deletingLastPathComponent().lastPathComponent)/rootfs belongs to user 0"),
                "\(build.stderr)")
        #expect(build.stderr.contains("use a cache whose images/ is your own"), "\(build.stderr)")
    }
}

/// The owner of `url`, by `lstat` (the CLI tests do not link the library's internals).
private func owner(_ url: URL) -> UInt32? {
    var info = stat()
    return lstat(url.path, &info) == 0 ? info.st_uid : nil
}
