import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree shell` on a pseudo-terminal, with the real runners: the shell is in the build's
/// environment (the target's `PKG_ARCH` and `uname -m`, the install root with the dependency,
/// a writable copy of the source), `exit` gives pkgtree its status, `--run` opens the shell
/// where a failing script stopped, and nothing the shell did is in the cache afterwards.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)),
       .enabled(if: PseudoTerminal.available, Comment(rawValue: PseudoTerminal.missingReason)))
struct ShellCommandTests {
    /// `app` requires `base` and has a `git_local` source; its script fails in `/build/stage`.
    static func tree() throws -> ScratchTree {
        try ScratchTree([
            "base/buildinfo.json": "{}",
            "base/build": "mkdir -p \"$PKG_PATH/bin\"\necho base > \"$PKG_PATH/bin/base-marker\"\n",
            "app/buildinfo.json": #"{"requires": ["base"], "single_source": {"kind": "git_local", "rel_path": "src"}}"#,
            "app/build": "mkdir -p /build/stage\ncd /build/stage\necho \"$PKG_ARCH\" > \"$PKG_PATH/arch\"\nfalse\necho unreachable\n",
            "app/src/notes.txt": "original\n",
        ])
    }

    /// What a person types: each line prints a marker only the shell's expansion makes (the
    /// terminal echoes the typed line with `$` unexpanded, so an echo never matches).
    static let session = """
        echo "ARCH=$PKG_ARCH MACHINE=$(uname -m) HERE=$(pwd)"
        ls /opt/mesosphere/active/base/bin/ | sed 's/^/DEPENDENCY=/'
        echo edited >> /pkg/src/app/notes.txt && echo "SOURCE=$(tail -n 1 /pkg/src/app/notes.txt)"
        echo "PROMPT=${PS1%% *}"
        exit 7

        """

    @Test(arguments: ["bwrap", "podman"], ["x86_64", "aarch64"])
    func theShellIsTheBuildEnvironmentAndExitGivesItsStatus(runner: String, arch: String) async throws {
        let scratch = try Self.tree()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let shell = try await PseudoTerminal.run(["shell", "app", "--arch", arch, "--runner", runner,
                                                  "--packages", scratch.packages.path, "--cache", cache.path],
                                                 cache: cache, input: Self.session)
        #expect(shell.status == 7, "\(shell.stdout)\n\(shell.stderr)")
        let shown = shell.stdout
        #expect(shown.contains("ARCH=\(arch) MACHINE=\(arch) HERE=/\r"), "\(shown)")
        #expect(shown.contains("DEPENDENCY=base-marker"), "\(shown)")
        #expect(shown.contains("SOURCE=edited"), "\(shown)")
        #expect(shown.contains("PROMPT=[pkgtree"), "\(shown)")
        #expect(shown.contains("[pkgtree app \(arch)] / "), "\(shown)")
        try Self.expectNothingKept(scratch, cache: cache, arch: arch)
    }

    @Test(arguments: ["bwrap", "podman"])
    func runOpensTheShellWhereTheFailingScriptStopped(runner: String) async throws {
        let scratch = try Self.tree()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let shell = try await PseudoTerminal.run(["shell", "app", "--run", "--arch", "x86_64", "--runner", runner,
                                                  "--packages", scratch.packages.path, "--cache", cache.path],
                                                 cache: cache, input: "echo \"HERE=$(pwd) OUTPUT=$(cat $PKG_PATH/arch)\"\nexit\n")
        #expect(shell.status == 0, "\(shell.stdout)\n\(shell.stderr)")
        #expect(shell.stdout.contains("the build script failed with status 1; this shell starts in its last working directory, /build/stage"),
                "\(shell.stdout)")
        #expect(!shell.stdout.contains("unreachable"))
        #expect(shell.stdout.contains("HERE=/build/stage OUTPUT=x86_64"), "\(shell.stdout)")
        try Self.expectNothingKept(scratch, cache: cache, arch: "x86_64")
    }

    /// Docker's row, x86_64 only as in the build contract's tests (Docker 20.10 here cannot
    /// run pkgtree's aarch64 images).
    @Test(.enabled("the docker engine does not answer `docker info`: scripts/setup.sh starts dockerd") { await EngineAvailability.docker })
    func dockerOpensTheShellWhereTheFailingScriptStopped() async throws {
        try await runOpensTheShellWhereTheFailingScriptStopped(runner: "docker")
    }

    /// A package's own image with an entrypoint: the shell replaces the entrypoint, and `--run`
    /// runs the script through it, as the build does.
    @Test func runGoesThroughThePackageImagesEntrypoint() async throws {
        let scratch = try ScratchTree([
            "entry/buildinfo.json": "{}",
            "entry/build": "#!/bin/sh\ncd /tmp\necho \"ENTRY=${ENTERED:-no}\"\nexit 3\n",
            "entry/docker/Dockerfile": """
                ARG PKGTREE_BUILDER
                FROM ${PKGTREE_BUILDER}
                ENTRYPOINT ["/usr/bin/env", "ENTERED=yes", "/bin/bash"]

                """,
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let shell = try await PseudoTerminal.run(["shell", "entry", "--run", "--arch", "x86_64", "--runner", "podman",
                                                  "--packages", scratch.packages.path, "--cache", cache.path],
                                                 cache: cache, input: "echo \"SHELL=${ENTERED:-no} $(pwd)\"\nexit\n")
        #expect(shell.status == 0, "\(shell.stdout)\n\(shell.stderr)")
        #expect(shell.stdout.contains("ENTRY=yes"), "\(shell.stdout)")
        #expect(shell.stdout.contains("the build script failed with status 3"), "\(shell.stdout)")
        #expect(shell.stdout.contains("SHELL=no /tmp"), "\(shell.stdout)")
    }

    /// ^C while the build script runs stops the script alone: the shell opens where it was,
    /// and the session goes on (with bwrap, a ^C reaching bwrap itself would end it).
    @Test(.enabled(if: TmuxSession.available, Comment(rawValue: TmuxSession.missingReason)), arguments: ["bwrap", "podman"])
    func controlCStopsTheScriptNotTheShell(runner: String) async throws {
        let scratch = try ScratchTree(["slow/buildinfo.json": "{}", "slow/build": "cd /tmp\necho SCRIPT-STARTED\nsleep 600\n"])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let status = scratch.directory.appendingPathComponent("status")
        let command = ([CLIRunner.binary, "shell", "slow", "--run", "--arch", "x86_64", "--runner", runner,
                        "--packages", scratch.packages.path, "--cache", cache.path]).map { "'\($0)'" }.joined(separator: " ")
        try await TmuxSession.with("\(command); echo $? > '\(status.path)'", in: CLIRunner.repositoryRoot,
                                   socketDirectory: scratch.directory) { session in
            // ^C before the script runs would stop pkgtree itself (and the pane with it), so
            // nothing below could be checked: stop here, showing what the terminal showed.
            let started = try await session.waitFor("SCRIPT-STARTED")
            let shown = try await session.screen()
            try #require(started, "the script did not start; the terminal showed:\n\(shown)")
            try await session.send("C-c")
            let stopped = try await session.waitFor("the build script failed with status 130; this shell starts in its last working directory, /tmp")
            try await session.send("echo \"AFTER=$((40 + 2))\"", "Enter")
            let answered = try await session.waitFor("AFTER=42")
            let screen = try await session.screen()
            #expect(stopped && answered, "\(screen)")
            try await session.send("exit 4", "Enter")
            #expect(try await Eventually.holds(seconds: 300) { FileManager.default.fileExists(atPath: status.path) })
        }
        #expect(try String(contentsOf: status, encoding: .utf8) == "4\n")
    }

    /// Without a terminal (input from a pipe) the shell still reads its commands.
    @Test func withoutATerminalTheShellReadsStandardInput() async throws {
        let scratch = try Self.tree()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let shell = try await CLIRunner.run(["shell", "base", "--runner", "bwrap", "--arch", "x86_64",
                                             "--packages", scratch.packages.path, "--cache", cache.path],
                                            cache: cache, input: "echo \"NAME=$PKG_NAME\"\nexit 3\n")
        #expect(shell.status == 3, "\(shell.stderr)")
        #expect(shell.stdout.contains("NAME=base"), "\(shell.stdout)")
    }

    /// The dependency was built and cached, as a build would; the shell's package was not, its
    /// source in the tree is as it was, and no workspace is left in `cache/tmp`.
    static func expectNothingKept(_ scratch: ScratchTree, cache: URL, arch: String) throws {
        let built = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("packages/\(arch)").path)
        #expect(built == ["base"])
        let source = try String(contentsOf: scratch.packages.appendingPathComponent("app/src/notes.txt"), encoding: .utf8)
        #expect(source == "original\n")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path)) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
        let locks = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("locks").path)
        #expect(!locks.contains { $0.hasPrefix("shell-") }, "\(locks)")
    }
}
