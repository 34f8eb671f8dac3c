import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree build --arch x86_64,aarch64`: how the list is read, and what a run that builds
/// several architectures reports.
@Suite struct MultiArchArgumentTests {
    @Test(arguments: [
        (["build", "--arch", "x86_64,amd64"], "x86_64 is named twice ('x86_64' and 'amd64')"),
        (["build", "--arch", "arm64,aarch64,x86_64"], "aarch64 is named twice"),
        (["build", "--arch", "x86_64,,aarch64"], "an architecture name is empty"),
        (["build", "--arch", "x86_64,sparc"], "unknown architecture 'sparc'"),
        (["plan", "--arch", "x86_64,aarch64"], "works on one architecture at a time"),
        (["graph", "--arch", "x86_64,aarch64"], "works on one architecture at a time"),
        (["why", "hello", "--arch", "x86_64,aarch64"], "works on one architecture at a time"),
        (["log", "hello", "--arch", "x86_64,aarch64"], "works on one architecture at a time"),
        (["cache", "ls", "--arch", "x86_64,aarch64"], "works on one architecture at a time"),
    ])
    func aBadArchitectureListIsAUsageError(arguments: [String], message: String) async throws {
        let scratch = try ScratchTree(["hello/buildinfo.json": "{}", "hello/build": "true\n"])
        let packages = arguments[0] == "cache" ? [] : ["--packages", scratch.packages.path]
        let result = try await CLIRunner.run(arguments + packages)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Nothing here builds (every package is unsupported), so no builder image is needed.
    @Test func theSummaryHasOneLinePerArchitectureInTheOrderGiven() async throws {
        let scratch = try ScratchTree([
            "x86only/buildinfo.json": #"{"architectures": ["x86_64"]}"#, "x86only/build": "true\n",
            "needs-x86/buildinfo.json": #"{"requires": ["x86only"]}"#, "needs-x86/build": "true\n",
        ])
        let result = try await CLIRunner.run(["build", "--arch", "riscv64,arm64", "--packages", scratch.packages.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            riscv64: 0 built, 0 cached, 0 failed, 0 skipped, 1 unsupported
              not built: x86only: unsupported on riscv64 (architectures: x86_64)
              not built: needs-x86: requires x86only, which is unsupported on riscv64
            aarch64: 0 built, 0 cached, 0 failed, 0 skipped, 1 unsupported
              not built: x86only: unsupported on aarch64 (architectures: x86_64)
              not built: needs-x86: requires x86only, which is unsupported on aarch64
            everything is cached; nothing to build

            """)
        #expect(!result.stderr.contains("runner:"))
    }

    static let unregistered = ["riscv64", "arm"].allSatisfy { !FileManager.default.fileExists(atPath: "/proc/sys/fs/binfmt_misc/qemu-\($0)") }

    @Test(.enabled(if: unregistered, "needs a machine without QEMU handlers for riscv64 and armv7"))
    func everyArchitectureThatLacksEmulationIsNamedBeforeAnyBuildStarts() async throws {
        let scratch = try ScratchTree(["one/buildinfo.json": "{}", "one/build": "true\n"])
        let result = try await CLIRunner.run(["build", "--arch", "x86_64,riscv64,armv7", "--packages", scratch.packages.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("building for riscv64 under emulation") && result.stderr.contains("qemu-riscv64"))
        #expect(result.stderr.contains("building for armv7 under emulation") && result.stderr.contains("qemu-arm "))
        #expect(result.stderr.contains("2 problems found"))
        #expect(!result.stdout.contains("building") && !result.stderr.contains("runner:"))
    }
}

/// Both architectures' DAGs in one scheduler, with real builds by each runner (aarch64 under QEMU).
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct MultiArchBuildTests {
    @Test(arguments: EngineContainers.runners)
    func bothArchitecturesBuildTogetherAndEachGetsItsArtifacts(runner: String) async throws {
        let cache = try BuilderImages.cache(in: FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-multi-\(UUID().uuidString)"))
        let arguments = ["build", "hello", "cpuid-info", "checksum", "--arch", "x86_64,aarch64", "--runner", runner, "-j", "2",
                         "--packages", BuildIntegrationTests.bundledTree, "--cache", cache.path]
        let build = try await CLIRunner.run(arguments + ["--progress", "json"], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let events = try BuildEvents.parse(build.stdout)
        func names(_ event: String, _ arch: String) -> Set<String> {
            Set(events.filter { $0["event"] as? String == event && $0["arch"] as? String == arch }.compactMap { $0["package"] as? String })
        }
        #expect(names("finished", "x86_64") == ["libgreet", "hello", "cpuid-info", "checksum"])
        #expect(names("finished", "aarch64") == ["libgreet", "hello", "checksum"])
        // One pool: an aarch64 build starts before the x86_64 builds are all done.
        let firstAarch64Start = try #require(events.firstIndex { $0["event"] as? String == "started" && $0["arch"] as? String == "aarch64" })
        let lastX86Finish = try #require(events.lastIndex { $0["event"] as? String == "finished" && $0["arch"] as? String == "x86_64" })
        #expect(firstAarch64Start < lastX86Finish)
        let summaries = events.filter { $0["event"] as? String == "summary" }
        #expect(summaries.map { $0["arch"] as? String } == ["x86_64", "aarch64"])
        #expect((summaries[1]["unsupported"] as? [[String: Any]])?.map { $0["package"] as? String } == ["cpuid-info"])
        for arch in ["x86_64", "aarch64"] {
            for name in names("finished", arch) {
                let directory = cache.appendingPathComponent("packages/\(arch)/\(name)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.hasSuffix(".tar.xz") })
            }
        }

        let again = try await CLIRunner.run(arguments, cache: cache)
        #expect(again.status == 0)
        #expect(again.stdout.contains("x86_64: 0 built, 4 cached, 0 failed, 0 skipped, 0 unsupported\n"))
        #expect(again.stdout.contains("aarch64: 0 built, 3 cached, 0 failed, 0 skipped, 1 unsupported\n"))
        #expect(again.stdout.contains("cached   aarch64/hello\n"))
        #expect(again.stdout.hasSuffix("everything is cached; nothing to build\n"))
    }

    @Test(arguments: EngineContainers.runners)
    func aFailureOnOneArchitectureSkipsOnlyItsDependentsThere(runner: String) async throws {
        let ok = "mkdir -p \"$PKG_PATH/share\" && echo \"$PKG_NAME\" > \"$PKG_PATH/share/name\"\n"
        let scratch = try ScratchTree([
            "a/buildinfo.json": "{}", "a/build": "if [ \"$PKG_ARCH\" = aarch64 ]; then echo no aarch64 port; exit 3; fi\n" + ok,
            "b/buildinfo.json": #"{"requires": ["a"]}"#, "b/build": ok,
            "d/buildinfo.json": "{}", "d/build": ok,
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64,aarch64", "--runner", runner, "--keep-going", "-j", "2",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 1)
        let lines = build.stdout.split(separator: "\n").map(String.init)
        let built = Set(lines.filter { $0.hasPrefix("built ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] })
        #expect(built == ["x86_64/a", "x86_64/b", "x86_64/d", "aarch64/d"])
        #expect(lines.contains("FAILED   aarch64/a: the build script exited with status 3"))
        #expect(lines.contains("skipped  aarch64/b: requires a, which failed"))
        #expect(build.stderr.contains("no aarch64 port"))
        #expect(lines.contains("x86_64: 3 built, 0 cached, 0 failed, 0 skipped, 0 unsupported"))
        let aarch64 = try #require(lines.firstIndex(of: "aarch64: 1 built, 0 cached, 1 failed, 1 skipped, 0 unsupported"))
        #expect(lines[aarch64 + 1].hasPrefix("  failed: a (log: ") && lines[aarch64 + 1].contains("/logs/aarch64/a/"))
    }
}
