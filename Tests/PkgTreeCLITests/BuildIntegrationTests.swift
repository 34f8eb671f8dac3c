import Foundation
import Testing

/// `pkgtree build` with the real runners, real builder images and QEMU.
@Suite(.enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BuildIntegrationTests {
    static let bundledTree = CLIRunner.repositoryRoot.appendingPathComponent("packages").path

    static func scratchCache() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-build-\(UUID().uuidString)")
        return try BuilderImages.cache(in: directory)
    }

    @Test(arguments: ["podman", "bwrap"], ["x86_64", "aarch64"])
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

    @Test func theAarch64ProgramRunsUnderQEMUInTheAarch64Builder() async throws {
        let cache = try Self.scratchCache()
        let build = try await CLIRunner.run(["build", "hello", "--arch", "aarch64", "--runner", "podman",
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

    @Test(arguments: ["podman", "bwrap"])
    func withoutNetworkABuildCannotConnect(runner: String) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let script = "exec 3<>/dev/tcp/127.0.0.1/\(server.port)\necho connected > \"$PKG_PATH/connected\"\n"
        let scratch = try Self.tree(script)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let offline = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner,
                                               "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(offline.status == 1, "\(offline.stdout)")
        #expect(offline.stdout.contains("FAILED   probe"))
        if runner == "bwrap" {  // bwrap shares the host's network when allowed, so loopback answers
            try Data(#"{"network": true}"#.utf8).write(to: scratch.packages.appendingPathComponent("probe/buildinfo.json"))
            let online = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner,
                                                  "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
            #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
        }
    }

    @Test(arguments: ["podman", "bwrap"])
    func aBuildCannotWriteOutsideItsOutput(runner: String) async throws {
        let targets = ["/pkg/build/evil", "/pkg/extra/evil", "/pkg/src/probe/evil", "/opt/pkgtree/evil", "/etc/evil", "/usr/evil", "/evil"]
        let script = targets.map { "touch \($0) 2>/dev/null && echo \"WROTE \($0)\"" }.joined(separator: "\n")
            + "\ntouch /tmp/scratch-is-fine\nmkdir -p \"$PKG_PATH/share\"\necho ok > \"$PKG_PATH/share/ok\"\n"
        let scratch = try Self.tree(script, buildinfo: #"{"single_source": {"kind": "git_local", "rel_path": "src"}}"#,
                                    extra: ["notes.txt": Data("x".utf8)])
        let source = scratch.packages.appendingPathComponent("probe/src")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("source".utf8).write(to: source.appendingPathComponent("file"))
        let cache = try BuilderImages.cache(in: scratch.directory)
        let before = scratch.snapshot()
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", runner,
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let logs = try FileManager.default.subpathsOfDirectory(atPath: cache.appendingPathComponent("logs").path)
        let logPath = try #require(logs.first { $0.hasSuffix(".log") })
        let log = try String(contentsOf: cache.appendingPathComponent("logs/\(logPath)"), encoding: .utf8)
        #expect(!log.contains("WROTE"), "\(log)")
        let after = scratch.snapshot().filter { !$0.key.hasPrefix("cache") }
        #expect(after == before.filter { !$0.key.hasPrefix("cache") })
        #expect(!FileManager.default.fileExists(atPath: "/evil") && !FileManager.default.fileExists(atPath: "/etc/evil"))
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

    @Test func aPackagesOwnDockerDirectoryIsBuiltForTheTargetPlatform() async throws {
        let scratch = try Self.tree("mkdir -p \"$PKG_PATH/share\"\ncp /etc/pkgtree-probe \"$PKG_PATH/share/probe\"\nuname -m >> \"$PKG_PATH/share/probe\"\n",
                                    extra: [:])
        let docker = scratch.packages.appendingPathComponent("probe/docker")
        try FileManager.default.createDirectory(at: docker, withIntermediateDirectories: true)
        try Data("ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\nRUN echo from-dockerfile > /etc/pkgtree-probe\n".utf8)
            .write(to: docker.appendingPathComponent("Dockerfile"))
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", "podman",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let directory = cache.appendingPathComponent("packages/aarch64/probe")
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
        let content = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", directory.appendingPathComponent(artifact).path, "share/probe"])
        #expect(content.stdout == "from-dockerfile\naarch64\n")
        let bwrap = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", "bwrap",
                                             "--packages", scratch.packages.path, "--cache", cache.path + "-bwrap"], cache: cache)
        #expect(bwrap.status == 2)
        #expect(bwrap.stderr.contains("bwrap runs recipe-built images only"))
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
}
