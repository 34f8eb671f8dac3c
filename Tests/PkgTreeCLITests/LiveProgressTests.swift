import Foundation
import Subprocess
import Testing
import RegistryTestSupport

/// `pkgtree build --progress tty|auto` on real (small) bwrap builds.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct LiveProgressTests {
    static func build(_ arguments: [String], cache: URL, environment: [Environment.Key: String] = [:]) async throws -> CLIRunner.Outcome {
        try await CLIRunner.runTool(CLIRunner.binary, ["build", "--runner", "bwrap"] + arguments,
                                    environment: environment.merging(["PKGTREE_CACHE": cache.path]) { $1 })
    }

    @Test func ttyDrawsOneBlockInPlaceAndEndsWithTheSummary() async throws {
        let scratch = try ScratchTree([
            "slow/buildinfo.json": "{}",
            // Silent for its first second, when the block's line for it must stay empty.
            "slow/build": "sleep 1\necho compiling slow.c\nsleep 2\nmkdir -p \"$PKG_PATH/share\"\n",
            "bad/buildinfo.json": "{}", "bad/build": "echo bad things happen\nexit 3\n",
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let result = try await Self.build(["--arch", "x86_64", "--keep-going", "-j", "2", "--progress", "tty",
                                           "--packages", scratch.packages.path, "--cache", cache.path],
                                          cache: cache, environment: ["COLUMNS": "60"])
        #expect(result.status == 1, "\(result.stderr)")
        // Split where the block is erased (ANSI: cursor up N lines, clear to the end of the screen).
        let draws = result.stdout.split(separator: try Regex(#"\r\x1B\[[0-9]+A\x1B\[J"#)).map(String.init)
        #expect(draws.count > 3, "the block is erased and redrawn")
        // The last erase clears the block; only the summary follows.
        let failedLog = cache.appendingPathComponent("logs/x86_64/bad").path
        #expect(draws.last?.hasPrefix("x86_64: 1 built, 0 cached, 1 failed, 0 skipped, 0 unsupported\n  failed: bad (log: \(failedLog)/bad--") == true,
                "\(draws.last ?? "")")
        // Some draw showed the running build with its architecture and last log line.
        #expect(draws.contains { $0.contains("\n  x86_64/slow ") && $0.contains("compiling slow.c\n") })
        #expect(draws.contains { $0.hasPrefix("[0/2] 0 built, 0 cached, 0 failed, 0 skipped; ") })
        // Finished builds became permanent lines above the block, a failure with its log's tail.
        #expect(draws.contains { $0.hasPrefix("FAILED   bad: the build script exited with status 3\n") })
        #expect(draws.contains { $0.hasPrefix("built    slow in ") })
        #expect(result.stderr.contains("bad things happen") && result.stderr.contains("full log: \(failedLog)"))
        // The runner's command line is in the log, never on the terminal: not in the failure's
        // tail, not as a running build's last line.
        #expect(!result.stdout.contains("pkgtree: ") && !result.stderr.contains("pkgtree: "), "\(result.stderr)")
        #expect(!draws.contains { $0.contains("--unshare-all") } && !result.stderr.contains("--unshare-all"))
        let logs = try FileManager.default.contentsOfDirectory(atPath: failedLog)
        let log = try String(contentsOfFile: "\(failedLog)/\(try #require(logs.first))", encoding: .utf8)
        #expect(log.contains("\npkgtree: run: unshare ") && log.contains(" bwrap ") && log.hasSuffix("bad things happen\n"), "\(log)")
        let blockLines = draws.dropLast().flatMap { $0.split(separator: "\n") }.filter { $0.hasPrefix("[") || $0.hasPrefix("  x86_64/") }
        #expect(!blockLines.isEmpty && blockLines.allSatisfy { $0.count <= 60 }, "\(blockLines)")
    }

    @Test(.enabled(if: CLIRunner.which("script") != nil, "needs script(1) for a pseudo-terminal"),
          arguments: [("TERM=xterm", true), ("TERM=dumb", false), ("TERM=xterm CI=true", false)])
    func autoDrawsLiveOnlyOnATerminalOutsideCI(environment: String, live: Bool) async throws {
        let scratch = try ScratchTree(["one/buildinfo.json": "{}", "one/build": "mkdir -p \"$PKG_PATH/share\"\n"])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let arguments = ["--arch", "x86_64", "--packages", scratch.packages.path, "--cache", cache.path]
        #expect(try await Self.build(arguments, cache: cache).status == 0)
        // script(1) gives pkgtree a pseudo-terminal as its standard output.
        let command = "env -u CI \(environment) \(CLIRunner.binary) build " + arguments.joined(separator: " ")
        let onTerminal = try await CLIRunner.runTool("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("everything is cached"))
        #expect(onTerminal.stdout.contains("\u{1B}[") == live, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("cached   one") == !live)
        let piped = try await Self.build(arguments, cache: cache, environment: ["TERM": "xterm"])
        #expect(!piped.stdout.contains("\u{1B}"))
    }
}
