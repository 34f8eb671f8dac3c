import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree build` with the real runners, real builder images and QEMU.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BuildIntegrationTests {
    static let bundledTree = CLIRunner.repositoryRoot.appendingPathComponent("packages").path

    static func scratchCache() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-build-\(UUID().uuidString)")
        return try BuilderImages.cache(in: directory)
    }

    @Test(arguments: EngineContainers.runners, ["x86_64", "aarch64"])
    func helloBuildsWithEachRunnerForEachArchitecture(runner: String, arch: String) async throws {
        let cache = try Self.scratchCache()
        let build = try await CLIRunner.run(["build", "hello", "--arch", arch, "--runner", runner,
                                             "--packages", Self.bundledTree, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stdout.contains("built    libgreet") && build.stdout.contains("built    hello"))
        let again = try await CLIRunner.run(["build", "hello", "--arch", arch, "--runner", runner,
                                             "--packages", Self.bundledTree, "--cache", cache.path], cache: cache)
        #expect(again.stdout.contains("everything is cached"))
        #expect(!again.stderr.contains("runner:"), "a fully cached build must not select a runner or start a container")
        #expect(try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache).status == 0)
    }

    @Test(arguments: ["podman", "docker"])
    func theAarch64ProgramRunsUnderQEMUInTheAarch64Builder(runner: String) async throws {
        let cache = try Self.scratchCache()
        let build = try await CLIRunner.run(["build", "hello", "--arch", "aarch64", "--runner", runner,
                                             "--packages", Self.bundledTree, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stderr)")
        let root = cache.deletingLastPathComponent().appendingPathComponent("root")
        var ids: [String: String] = [:]
        for name in ["hello", "libgreet"] {
            let directory = cache.appendingPathComponent("packages/aarch64/\(name)")
            let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
            let id = String(artifact.dropLast(".tar.xz".count))
            ids[name] = id
            let destination = root.appendingPathComponent("packages/\(id)")
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-xJf", directory.appendingPathComponent(artifact).path, "-C", destination.path])
            #expect(tar.status == 0)
        }
        let run = try await BuilderContainer.run(root: root, environment: ["LD_LIBRARY_PATH": "/opt/pkgtree/packages/\(ids["libgreet"]!)/lib"],
                                               "uname -m; /opt/pkgtree/packages/\(ids["hello"]!)/bin/hello Alice")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "aarch64\nHello, Alice!\n")
    }

    /// Built by someone whose umask is 002, an artifact is what anyone else's build makes: the
    /// script runs under 0022, as in an engine's container (and pkgpanda's docker), and the
    /// metadata pkgtree adds is 0644; nothing in it is group-writable.
    @Test(arguments: EngineContainers.runners)
    func anArtifactDoesNotDependOnTheUmaskOfWhoBuildsIt(runner: String) async throws {
        let scratch = try Self.tree("mkdir -p \"$PKG_PATH/bin\"\necho tool > \"$PKG_PATH/bin/tool\"\numask > \"$PKG_PATH/umask\"\n")
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner, "--no-bootstrap",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache, umask: "002")
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let artifacts = cache.appendingPathComponent("packages/x86_64/probe")
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: artifacts.path).first { $0.hasSuffix(".tar.xz") })
        let listing = try await CLIRunner.runTool("/usr/bin/tar", ["-tvJf", artifacts.appendingPathComponent(artifact).path])
        let modes = listing.stdout.split(separator: "\n").map { line in "\(line.split(separator: " ").last ?? "") \(line.prefix(10))" }.sorted()
        #expect(modes == ["bin/ drwxr-xr-x", "bin/tool -rw-r--r--", "buildinfo.full.json -rw-r--r--", "pkginfo.json -rw-r--r--",
                          "umask -rw-r--r--"], "\(listing.stdout)")
        let umask = try await CLIRunner.runTool("/usr/bin/tar", ["-xOJf", artifacts.appendingPathComponent(artifact).path, "umask"])
        #expect(umask.stdout == "0022\n", "the script's umask")
    }

    /// A one-package tree whose build script is `script`; `extra` files go to extra/.
    static func tree(_ script: String, buildinfo: String = "{}", extra: [String: Data] = [:]) throws -> ScratchTree {
        let scratch = try ScratchTree(["probe/buildinfo.json": buildinfo, "probe/build": script])
        for (name, data) in extra {
            let url = scratch.packages.appendingPathComponent("probe/extra/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return scratch
    }

    @Test(arguments: EngineContainers.runners)
    func withoutNetworkABuildCannotConnect(runner: String) async throws {
        let server = try await LoopbackServer()
        defer { server.stop() }
        let script = "exec 3<>/dev/tcp/127.0.0.1/\(server.port)\necho connected > \"$PKG_PATH/connected\"\n"
        let scratch = try Self.tree(script)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let offline = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner,
                                               "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(offline.status == 1, "\(offline.stdout)")
        #expect(offline.stdout.contains("FAILED   probe"))
        // Asked for, the network is the host's on every runner, so loopback answers.
        try Data(#"{"network": true}"#.utf8).write(to: scratch.packages.appendingPathComponent("probe/buildinfo.json"))
        let online = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner,
                                              "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/proc/sys/fs/binfmt_misc/qemu-s390x"),
                   "this machine has a QEMU handler for s390x, so nothing is missing to report"))
    func aMissingQEMUHandlerFailsAtOnceWithTheFix() async throws {
        let scratch = try Self.tree("true\n")
        let build = try await CLIRunner.run(["build", "--arch", "s390x", "--packages", scratch.packages.path], cache: nil)
        #expect(build.status == 2)
        #expect(build.stderr.contains("no QEMU handler"))
        #expect(build.stderr.contains("update-binfmts --enable qemu-s390x"))
        #expect(!build.stdout.contains("building"))
    }

    @Test(arguments: ["podman", "docker"])
    func aPackagesOwnDockerDirectoryIsBuiltForTheTargetPlatform(runner: String) async throws {
        let scratch = try Self.tree("mkdir -p \"$PKG_PATH/share\"\ncp /etc/pkgtree-probe \"$PKG_PATH/share/probe\"\nuname -m >> \"$PKG_PATH/share/probe\"\n",
                                    extra: [:])
        let docker = scratch.packages.appendingPathComponent("probe/docker")
        try FileManager.default.createDirectory(at: docker, withIntermediateDirectories: true)
        try Data("ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\nRUN echo from-dockerfile > /etc/pkgtree-probe\n".utf8)
            .write(to: docker.appendingPathComponent("Dockerfile"))
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", runner,
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let client = try #require(EngineContainers.client(runner))
        let images = try await CLIRunner.runTool(client.path, client.options + ["images", "--format", "{{.Repository}}:{{.Tag}}",
                                                                                 "localhost/pkgtree/pkg-probe-aarch64"], environment: client.environment)
        let image = try #require(images.stdout.split(separator: "\n").first.map(String.init), "\(images.stderr)")
        let platform = try await CLIRunner.runTool(client.path, client.options + ["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", image],
                                                   environment: client.environment)
        #expect(platform.stdout == "linux/arm64\n", "\(platform.stderr)")
        let directory = cache.appendingPathComponent("packages/aarch64/probe")
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
        let content = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", directory.appendingPathComponent(artifact).path, "share/probe"])
        #expect(content.stdout == "from-dockerfile\naarch64\n")
        let bwrap = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", "bwrap",
                                             "--packages", scratch.packages.path, "--cache", cache.path + "-bwrap-\(runner)"], cache: cache)
        #expect(bwrap.status == 2)
        #expect(bwrap.stderr.contains("bwrap runs recipe-built images and the tree"))
    }

    /// A package's own image runs its script as `docker run IMAGE SCRIPT` would; the tree's
    /// default builder runs every script with pkgpanda's bash line, whatever its `#!` says.
    @Test func aPackageImageRunsTheScriptThroughItsEntrypointElseItsShebang() async throws {
        let script = "#!/bin/sh\nmkdir -p \"$PKG_PATH/share\"\necho \"bash=${BASH_VERSION:+yes} entry=${ENTERED:-no}\" > \"$PKG_PATH/share/how\"\n"
        let scratch = try ScratchTree([
            "plain/buildinfo.json": "{}", "plain/build": script,
            "shebang/buildinfo.json": "{}", "shebang/build": script,
            "shebang/docker/Dockerfile": "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\n",
            "entry/buildinfo.json": "{}", "entry/build": script,
            "entry/docker/Dockerfile": """
                ARG PKGTREE_BUILDER
                FROM ${PKGTREE_BUILDER}
                ENTRYPOINT ["/usr/bin/env", "ENTERED=yes", "/bin/bash"]

                """,
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "podman",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(try await ArtifactContent.read("share/how", of: "plain", cache: cache) == "bash=yes entry=no\n")
        #expect(try await ArtifactContent.read("share/how", of: "shebang", cache: cache) == "bash= entry=no\n")
        #expect(try await ArtifactContent.read("share/how", of: "entry", cache: cache) == "bash=yes entry=yes\n")
    }

    @Test func anX86BinarySmuggledIntoAnAarch64PackageFailsTheELFCheck() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-elf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data("int main(void) { return 0; }\n".utf8).write(to: work.appendingPathComponent("m.c"))
        let compile = try await CLIRunner.runTool("/usr/bin/cc", ["-o", work.appendingPathComponent("smuggled").path, work.appendingPathComponent("m.c").path])
        #expect(compile.status == 0)
        let scratch = try Self.tree("mkdir -p \"$PKG_PATH/bin\"\ncp /pkg/extra/smuggled \"$PKG_PATH/bin/smuggled\"\n",
                                    buildinfo: #"{"cross": true}"#,
                                    extra: ["smuggled": try Data(contentsOf: work.appendingPathComponent("smuggled"))])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", "bwrap",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 1)
        #expect(build.stdout.contains("ELF check failed"))
        #expect(build.stdout.contains("bin/smuggled"))
        #expect(build.stdout.contains("x86_64") && build.stdout.contains("aarch64"))
        #expect(build.stderr.contains("full log:"))
        let list = try await CLIRunner.run(["cache", "ls", "--cache", cache.path], cache: cache)
        #expect(list.stdout.contains("the cache is empty"))
    }

    /// A Docker daemon that answers but cannot run aarch64 containers, as on a machine whose
    /// daemon has no QEMU handler: a `docker` on PATH that forwards to the real client, except
    /// that `run` of linux/arm64 fails as Docker 20.10 does for a binary it cannot execute.
    static func dockerWithoutAarch64(in directory: URL) throws -> URL {
        let real = try #require(CLIRunner.which("docker"), "docker is not installed (scripts/setup.sh installs it)")
        let bin = directory.appendingPathComponent("broken-docker-bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let wrapper = """
            #!/bin/sh
            if [ "$1" = run ]; then
                for argument in "$@"; do
                    if [ "$argument" = linux/arm64 ]; then
                        echo 'standard_init_linux.go:228: exec user process caused: exec format error' >&2
                        exit 1
                    fi
                done
            fi
            exec \(real) "$@"

            """
        let file = bin.appendingPathComponent("docker")
        try Data(wrapper.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        return bin
    }

    @Test func autoDetectionSkipsAnEngineThatCannotRunThePlatformSayingWhyAndBuildsWithTheNext() async throws {
        let scratch = try Self.tree("mkdir -p \"$PKG_PATH/share\"\nuname -m > \"$PKG_PATH/share/machine\"\n")
        let cache = try BuilderImages.cache(in: scratch.directory)
        let bin = try Self.dockerWithoutAarch64(in: scratch.directory)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        func build(_ arch: String) async throws -> CLIRunner.Outcome {
            try await CLIRunner.runTool(CLIRunner.binary, ["build", "--arch", arch, "-v", "--packages", scratch.packages.path, "--cache", cache.path],
                                        environment: CLIRunner.environment(cache: cache).merging(["PATH": path]) { $1 })
        }
        let aarch64 = try await build("aarch64")
        #expect(aarch64.status == 0, "\(aarch64.stdout)\(aarch64.stderr)")
        #expect(aarch64.stderr.contains("runner docker skipped: cannot run linux/arm64 containers: `docker run --rm --pull never --platform linux/arm64"),
                "\(aarch64.stderr)")
        #expect(aarch64.stderr.contains("exec format error"))
        #expect(aarch64.stderr.contains("runner: podman"), "\(aarch64.stderr)")
        #expect(aarch64.stdout.contains("built    probe"))
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("packages/aarch64/probe").path).first)
        let machine = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", cache.appendingPathComponent("packages/aarch64/probe/\(artifact)").path,
                                                                   "share/machine"])
        #expect(machine.stdout == "aarch64\n")

        // The same engine runs x86_64 containers: there it is picked.
        let x86 = try await build("x86_64")
        #expect(x86.status == 0, "\(x86.stderr)")
        #expect(x86.stderr.contains("runner docker runs linux/amd64") && x86.stderr.contains("runner: docker"), "\(x86.stderr)")

        // Asked for by name, the broken engine is an error naming why, and nothing is built.
        let named = try await CLIRunner.runTool(CLIRunner.binary, ["build", "--arch", "aarch64", "--runner", "docker", "--packages", scratch.packages.path,
                                                                   "--cache", cache.path + "-named"],
                                                environment: CLIRunner.environment(cache: cache).merging(["PATH": path]) { $1 })
        #expect(named.status == 2, "\(named.stderr)")
        #expect(named.stderr.contains("no container runner can build here (docker: cannot run linux/arm64 containers"), "\(named.stderr)")
        #expect(!named.stdout.contains("building"))
    }
}
