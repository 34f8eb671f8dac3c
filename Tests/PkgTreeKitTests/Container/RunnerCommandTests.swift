import Foundation
import Testing
@testable import PkgTreeKit
import MountPlan

/// Runner invocations as values: the argv pkgtree would run, checked without running it.
@Suite struct RunnerCommandTests {
    static let invocation = BuildInvocation(
        name: "pkgtree-hello--0123456789ab-42",
        platform: .aarch64,
        image: BuilderImage(reference: "localhost/pkgtree/builder-aarch64:abc", rootfs: URL(fileURLWithPath: "/cache/images/aarch64/abc/rootfs")),
        installRoot: .init(path: "/opt/pkgtree", entries: [], dependencies: [], outputID: "hello--1"),
        mounts: [
            .init(host: "/srv/build-output", container: "/opt/pkgtree/packages/hello--1", readOnly: false),
            .init(host: "/tree/hello", container: "/pkg/build", readOnly: true),
        ],
        environment: ["PKG_ARCH": "aarch64", "NUM_CORES": "2"],
        network: false, command: ["/bin/bash", "-o", "errexit", "/pkg/build/build"],
        layer: URL(fileURLWithPath: "/cache/tmp/hello/layer"))

    @Test func podmanRunsInAThrowawayContainerWithoutNetworkForThePlatform() {
        let tool = RunnerConfiguration.Tool(globalOptions: ["--runtime", "runc"], environment: ["CONTAINERS_CONF": "/etc/c.conf"])
        let command = EngineRunner(kind: .podman, tool: tool).runCommand(Self.invocation)
        #expect(command.executable == "podman")
        #expect(command.environment == ["CONTAINERS_CONF": "/etc/c.conf"])
        #expect(Array(command.arguments.prefix(6)) == ["--runtime", "runc", "run", "--rm", "--platform", "linux/arm64"])
        // The container's own layer is the build's writable root; its working directory is the image's.
        #expect(!command.arguments.contains { $0.hasPrefix("--read-only") || $0 == "--workdir" || $0 == "--tmpfs" })
        #expect(command.arguments.contains("none"))
        // The install root is mounted before the package directory inside it.
        let arguments = command.arguments
        let mounts: [String] = arguments.indices.dropFirst().filter { arguments[$0 - 1] == "-v" }.map { arguments[$0] }
        #expect(mounts == ["/cache/tmp/hello/layer/install-root:/opt/pkgtree:ro", "/tree/hello:/pkg/build:ro",
                           "/srv/build-output:/opt/pkgtree/packages/hello--1:rw"])
        #expect(command.arguments.suffix(5) == ["localhost/pkgtree/builder-aarch64:abc", "/bin/bash", "-o", "errexit", "/pkg/build/build"])
    }

    /// `pkgtree shell`: the engine passes standard input and a terminal, and the command takes
    /// the entrypoint's place; bwrap leaves the terminal to the shell (no new session). A build
    /// gets neither.
    @Test func anAttachedShellGetsTheTerminalAndReplacesTheEntrypoint() {
        var shell = Self.invocation
        shell.command = ["/bin/sh", "/pkgtree-shell/launch"]
        shell.attachment = .init(terminal: true)
        let podman = EngineRunner(kind: .podman, tool: .init())
        let arguments = podman.runCommand(shell).arguments
        #expect(Array(arguments.suffix(2)) == ["localhost/pkgtree/builder-aarch64:abc", "/pkgtree-shell/launch"])
        #expect(arguments.contains("--tty") && arguments.contains("--interactive"))
        #expect(arguments[arguments.firstIndex(of: "--entrypoint")! + 1] == "/bin/sh")
        #expect(arguments.firstIndex(of: "--entrypoint")! < arguments.firstIndex(of: "localhost/pkgtree/builder-aarch64:abc")!)
        shell.attachment = .init(terminal: false)
        #expect(!podman.runCommand(shell).arguments.contains("--tty"))
        #expect(!podman.runCommand(Self.invocation).arguments.contains { ["--interactive", "--tty", "--entrypoint"].contains($0) })

        let bwrap = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount")
        #expect(bwrap.runCommand(Self.invocation).arguments.contains("--new-session"))
        #expect(bwrap.runCommand(shell).arguments.contains("--new-session"))  // no terminal to take over
        shell.attachment = .init(terminal: true)
        #expect(!bwrap.runCommand(shell).arguments.contains("--new-session"))
        #expect(bwrap.runCommand(shell).arguments.suffix(3) == ["--", "/bin/sh", "/pkgtree-shell/launch"])
    }

    @Test func containersAreNamedAfterTheIdAndTheProcessSoAnInterruptedBuildCanRemoveThem() {
        let id = PackageID(name: "hello", versionExtra: nil, hash: String(String(repeating: "0123456789abcdef", count: 3).prefix(40)))
        #expect(BuildInvocation.name(for: id, processID: 42) == "pkgtree-hello--0123456789ab-42")
        #expect(BuildInvocation.name(for: PackageID("zlib--1.2-\(id.hash)")!, processID: 7) == "pkgtree-zlib--1.2-0123456789ab-7")
        let podman = EngineRunner(kind: .podman, tool: .init(globalOptions: ["--runtime", "runc"]))
        let run = podman.runCommand(Self.invocation).arguments
        #expect(run[run.firstIndex(of: "--name")! + 1] == "pkgtree-hello--0123456789ab-42")
        #expect(podman.stopCommand(Self.invocation).arguments
                == ["--runtime", "runc", "rm", "--force", "--ignore", "--time", "0", "pkgtree-hello--0123456789ab-42"])
        #expect(EngineRunner(kind: .docker, tool: .init()).stopCommand(Self.invocation).arguments
                == ["rm", "--force", "pkgtree-hello--0123456789ab-42"])
        #expect(Runner.bwrap(BwrapRunner(tool: .init())).stopCommand(Self.invocation) == nil)
    }

    @Test func bothEnginesLoadImageArchivesAndProbeWithoutARegistry() {
        let docker = EngineRunner(kind: .docker, tool: .init())
        #expect(!docker.runCommand(Self.invocation).arguments.contains("--read-only-tmpfs=false"))
        let podman = EngineRunner(kind: .podman, tool: .init(globalOptions: ["--runtime", "runc"]))
        #expect(docker.loadCommand(archive: "image.tar").arguments == ["load", "--input", "image.tar"])
        #expect(podman.loadCommand(archive: "image.tar").arguments == ["--runtime", "runc", "load", "--input", "image.tar"])
        #expect(docker.probeRunCommand(image: "img", platform: .aarch64).arguments
                == ["run", "--rm", "--pull", "never", "--platform", "linux/arm64", "--network", "none", "--entrypoint", "true", "img"])
        #expect(docker.imagePlatformCommand("img").arguments == ["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "img"])
        // The history count is podman's question only (docker's inspect has no history).
        #expect(docker.imagePlatformCommand("img", withHistory: true).arguments == ["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "img"])
        #expect(podman.imagePlatformCommand("img", withHistory: true).arguments
                == ["--runtime", "runc", "image", "inspect", "--format", "{{.Os}}/{{.Architecture}} {{len .History}}", "img"])
        let bwrap = BwrapRunner(tool: .init()).probeRunCommand(rootfs: URL(fileURLWithPath: "/cache/images/aarch64/abc/rootfs"))
        #expect(Array(bwrap.arguments.prefix(3)) == ["--ro-bind", "/cache/images/aarch64/abc/rootfs", "/"])
        #expect(bwrap.arguments.suffix(2) == ["--", "/bin/true"])
    }

    @Test func theProbeCoversEachPlatformOnceWithAnImageTheBuildsNeed() throws {
        let fixture = try TreeFixture.tree(["c": #"{"arch": {"aarch64": {"cross": true}}}"#, "n": "{}", "d": "{}"])
        try fixture.write("d/docker/Dockerfile", "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\n")
        let plan = try fixture.plan(.aarch64)
        let needs = RunnerNeeds(plan.packages.map { ($0, plan) })
        #expect(needs.probes.map(\.platform) == [.aarch64, .x86_64])  // n and d run on aarch64, cross-built c on x86_64
        #expect(needs.probes.allSatisfy { if case .recipe = $0 { true } else { false } })
        #expect(needs.builders.count == 3 && needs.builders.contains { if case .dockerDirectory = $0 { true } else { false } })
        let onlyDocker = plan.packages.filter { $0.name == "d" }
        #expect(RunnerNeeds(onlyDocker.map { ($0, plan) }).probes == [plan.defaultBuilderIdentity(for: .aarch64)])
        #expect(RunnerNeeds([]).probes.isEmpty)
        #expect(needs.emulated == [.aarch64])  // n and d; c's cross build needs no emulation
        #expect(RunnerNeeds(plan.packages.filter { $0.name == "c" }.map { ($0, plan) }).emulated.isEmpty)
    }

    @Test func bwrapCannotUseADockerDirectorySoItIsSkippedBeforeAnyImageIsMade() async throws {
        let fixture = try TreeFixture.tree(["d": "{}"])
        try fixture.write("d/docker/Dockerfile", "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\n")
        let plan = try fixture.plan(.aarch64)
        let needs = RunnerNeeds(plan.packages.map { ($0, plan) })
        let bwrap = Runner.bwrap(BwrapRunner(tool: .init()))
        #expect(try await bwrap.unusable(needs.builders[0])?.message.contains("bwrap runs recipe-built images and the tree") == true)
        #expect(try await Runner.engine(EngineRunner(kind: .podman, tool: .init())).unusable(needs.builders[0]) == nil)
        #expect(try await bwrap.unusable(needs.probes[0]) == nil)
    }

    @Test func networkTrueGivesTheHostsNetworkOnEveryRunner() {
        var invocation = Self.invocation
        invocation.network = true
        for kind in [RunnerKind.podman, .docker] {
            let online = EngineRunner(kind: kind, tool: .init()).runCommand(invocation).arguments.joined(separator: " ")
            let offline = EngineRunner(kind: kind, tool: .init()).runCommand(Self.invocation).arguments.joined(separator: " ")
            #expect(online.contains("--network host") && !online.contains("none"), "\(online)")
            #expect(offline.contains("--network none"), "\(offline)")
        }
        #expect(BwrapRunner(tool: .init()).runCommand(invocation).arguments.contains("--share-net"))
        #expect(!BwrapRunner(tool: .init()).runCommand(Self.invocation).arguments.contains("--share-net"))
    }

    @Test func bwrapRunsOnAnOverlayOfTheImageMountedInAPrivateNamespace() {
        let command = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").runCommand(Self.invocation)
        #expect(command.executable == "unshare")
        let arguments = command.arguments
        let helper = try! #require(arguments.firstIndex(of: "/bin/pkgtree-mount"))
        #expect(Array(arguments[..<helper]) == ["--mount", "--propagation", "private", "--"])
        // pkgtree-mount carries out the plan, then execs bwrap: no long-lived parent between pkgtree and bwrap.
        #expect(Array(arguments[(helper + 1)...(helper + 3)]) == ["/cache/tmp/hello/layer/mounts.plan", String(getpid()), "bwrap"])
        let sandbox = Array(arguments[(helper + 4)...])
        #expect(Array(sandbox.prefix(3)) == ["--bind", "/cache/tmp/hello/layer/root", "/"])
        #expect(!sandbox.contains("--remount-ro") && !sandbox.contains("--tmpfs"))
        #expect(sandbox.contains("--unshare-all") && sandbox.contains("--clearenv") && sandbox.contains("--die-with-parent"))
        #expect(sandbox.split(separator: "--setenv").count == 3)
        #expect(sandbox.suffix(7) == ["--chdir", "/", "--", "/bin/bash", "-o", "errexit", "/pkg/build/build"])
        // The plan's first steps: the rootfs as the lower layer of an overlay in the build's layer.
        let plan = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").mountPlan(Self.invocation).plan
        #expect(plan.steps[3] == .mount(source: "overlay", target: "/cache/tmp/hello/layer/root", type: "overlay", flags: [],
                                        data: "lowerdir=/cache/images/aarch64/abc/rootfs,upperdir=/cache/tmp/hello/layer/upper,workdir=/cache/tmp/hello/layer/work"))
    }

    @Test func bwrapAsAnOrdinaryUserMapsThemToRootInAUserNamespace() {
        let arguments = BwrapRunner(tool: .init(), rootless: true, mountHelper: "/bin/pkgtree-mount").runCommand(Self.invocation).arguments
        #expect(Array(arguments.prefix(6)) == ["--mount", "--propagation", "private", "--user", "--map-root-user", "--"])
    }

    @Test func overlayOptionsEscapeCommasAndColonsInPaths() {
        #expect(BwrapRunner.escape("/a,b:c\\d") == "/a\\,b\\:c\\\\d")
    }

    @Test func configurationComesFromTheFileThenTheEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("packages"), withIntermediateDirectories: true)
        try Data(#"{"runner": "bwrap", "podman": {"global_options": ["--runtime", "runc"]}}"#.utf8)
            .write(to: directory.appendingPathComponent("pkgtree.json"))
        let packages = directory.appendingPathComponent("packages")
        let fromFile = try RunnerConfiguration.load(packages: packages, environment: [:])
        #expect(fromFile.runner == .bwrap)
        #expect(fromFile.tool(.podman).globalOptions == ["--runtime", "runc"])
        let overridden = try RunnerConfiguration.load(packages: packages, environment: [
            "PKGTREE_RUNNER": "podman", "PKGTREE_PODMAN_OPTIONS": "--cgroup-manager cgroupfs"])
        #expect(overridden.runner == .podman)
        #expect(overridden.tool(.podman).globalOptions == ["--cgroup-manager", "cgroupfs"])
        #expect(throws: Problems.self) { try RunnerConfiguration.load(packages: packages, environment: ["PKGTREE_RUNNER": "lxc"]) }
        try Data(#"{"runer": "bwrap"}"#.utf8).write(to: directory.appendingPathComponent("pkgtree.json"))
        #expect(throws: Problems.self) { try RunnerConfiguration.load(packages: packages, environment: [:]) }
    }

    @Test func theBuildEnvironmentHasEveryVariableOfTheContract() throws {
        let fixture = try TreeFixture.tree(["c": #"{"arch": {"aarch64": {"cross": true}}}"#, "n": "{}"])
        let plan = try fixture.plan(.aarch64)
        let cross = BuildEnvironment.variables(plan.package(named: "c")!, plan: plan, cores: 3)
        for key in ["PKG_NAME", "PKG_ID", "PKG_VERSION", "PKG_VARIANT", "PKG_PATH", "PKG_ARCH", "PKG_GOARCH",
                    "PKG_DEB_ARCH", "PKG_TRIPLET", "PKG_PLATFORM", "NUM_CORES", "SOURCE_DATE_EPOCH", "PKG_BUILD_ARCH"] {
            #expect(cross[key] != nil, "\(key) is missing")
        }
        #expect(cross["PKG_ARCH"] == "aarch64" && cross["PKG_GOARCH"] == "arm64" && cross["PKG_TRIPLET"] == "aarch64-linux-gnu")
        #expect(cross["PKG_BUILD_ARCH"] == "x86_64" && cross["NUM_CORES"] == "3")
        #expect(cross["PKG_PATH"] == "/opt/mesosphere/packages/\(cross["PKG_ID"]!)")
        #expect(BuildEnvironment.variables(plan.package(named: "n")!, plan: plan, cores: 1)["PKG_BUILD_ARCH"] == nil)
    }

    @Test func activationLinksEveryFileOfTheWellKnownDirectories() throws {
        let fixture = try TreeFixture([
            "a/bin/tool": "x", "a/lib/liba.so": "x", "a/lib/pkgconfig/a.pc": "x", "a/share/doc": "x", "a/etc_master/a.conf": "x",
            "b/lib/libb.so": "x", "b/lib/pkgconfig/b.pc": "x",
        ])
        let files = { (name: String, id: String) in
            try UnpackedPackage(name: name, id: id, content: fixture.root.appendingPathComponent(name)).activated
        }
        let entries = try ActivationLinks.entries([try files("a", "a--1"), try files("b", "b--2")].map { ($0.id, $0.paths) })
        let links = Dictionary(uniqueKeysWithValues: entries.compactMap { entry in entry.target.map { (entry.path, $0) } })
        #expect(links == [
            "bin/tool": "../packages/a--1/bin/tool", "lib/liba.so": "../packages/a--1/lib/liba.so",
            "lib/pkgconfig/a.pc": "../../packages/a--1/lib/pkgconfig/a.pc",
            "lib/libb.so": "../packages/b--2/lib/libb.so", "lib/pkgconfig/b.pc": "../../packages/b--2/lib/pkgconfig/b.pc",
            "etc_master/a.conf": "../packages/a--1/etc_master/a.conf",
        ])
        #expect(entries.contains { $0.path == "lib/pkgconfig" && $0.target == nil })
        try fixture.write("b/lib/liba.so", "conflict")
        #expect(throws: Problems.self) {
            try ActivationLinks.entries([try files("a", "a--1"), try files("b", "b--2")].map { ($0.id, $0.paths) })
        }
    }
}
