import Foundation
import Testing

/// `pkgtree plan` and `pkgtree graph` as a user runs them: output, exit codes, no side effects.
@Suite struct PlanCommandTests {
    static let smallTree: [String: String] = [
        "libgreet/buildinfo.json": "{}", "libgreet/build": "make\n",
        "hello/buildinfo.json": #"{"requires": ["libgreet"]}"#, "hello/build": "make\n",
        "x86only/buildinfo.json": #"{"architectures": ["amd64"]}"#, "x86only/build": "make\n",
        "needs-x86/buildinfo.json": #"{"requires": ["x86only"]}"#, "needs-x86/build": "make\n",
    ]

    @Test func planPrintsDependenciesFirstWithIDsAndCanonicalArchNames() async throws {
        let scratch = try ScratchTree(Self.smallTree)
        let result = try await CLIRunner.run(["plan", "--arch", "arm64", "--packages", scratch.packages.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("2 packages for aarch64"))
        #expect(lines[0].contains("2 to build, 0 cached"))
        #expect(lines[1].contains("libgreet") && lines[1].contains("libgreet--"))
        #expect(lines[2].contains("hello--"))
        #expect(result.stdout.contains("unsupported on aarch64 (1):"))
        #expect(result.stdout.contains("x86only  unsupported on aarch64 (architectures: x86_64)"))
        #expect(result.stdout.contains("needs-x86  requires x86only, which is unsupported on aarch64"))
    }

    @Test func planIsDeterministicAndJSONParses() async throws {
        let scratch = try ScratchTree(Self.smallTree)
        let args = ["plan", "--arch", "x86_64", "--packages", scratch.packages.path, "--json"]
        let first = try await CLIRunner.run(args), second = try await CLIRunner.run(args)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let packages = try #require(document["packages"] as? [[String: Any]])
        #expect(packages.map { $0["name"] as? String } == ["libgreet", "hello", "x86only", "needs-x86"])
        #expect(document["platform"] as? String == "linux/amd64")
    }

    @Test func planWithPackageNamesShowsOnlyTheirClosure() async throws {
        let scratch = try ScratchTree(Self.smallTree)
        let result = try await CLIRunner.run(["plan", "hello", "--arch", "x86_64", "--packages", scratch.packages.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("2 packages for x86_64"))
        #expect(!result.stdout.contains("x86only"))
    }

    @Test func aBrokenTreeExitsTwoNamesFileAndFieldAndWritesNothing() async throws {
        var files = Self.smallTree
        files["hello/buildinfo.json"] = #"{"requires": ["libgret"], "docker": 3}"#
        let scratch = try ScratchTree(files)
        let before = scratch.snapshot()
        let result = try await CLIRunner.run(["plan", "--arch", "aarch64", "--packages", scratch.packages.path],
                                             in: scratch.directory)
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: packages/hello/buildinfo.json: package 'hello': field 'docker': expected a string, found a number"))
        #expect(result.stderr.contains("problem"))
        #expect(result.stdout.isEmpty)
        #expect(scratch.snapshot() == before)
    }

    @Test(arguments: [
        ["plan", "--arch", "sparc"],
        ["plan", "--no-such-flag"],
        ["graph", "--format", "svg"],
        ["frobnicate"],
    ])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let scratch = try ScratchTree(Self.smallTree)
        let result = try await CLIRunner.run(arguments + ["--packages", scratch.packages.path])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func aMissingPackagesDirectorySaysWhatToDo() async throws {
        let result = try await CLIRunner.run(["plan", "--packages", "/nonexistent/packages"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--packages"))
    }

    @Test func unknownPackageArgumentSuggestsAName() async throws {
        let scratch = try ScratchTree(Self.smallTree)
        let result = try await CLIRunner.run(["plan", "helo", "--packages", scratch.packages.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'hello'?"))
    }

    @Test(arguments: [["--help"], ["plan", "--help"], ["graph", "--help"], ["--version"]])
    func helpAndVersionExitZero(arguments: [String]) async throws {
        let result = try await CLIRunner.run(arguments)
        #expect(result.status == 0)
        #expect(!result.stdout.isEmpty)
    }

    @Test func versionNamesTheLinkedLibarchive() async throws {
        let result = try await CLIRunner.run(["--version"])
        #expect(result.stdout.hasPrefix("pkgtree "))
        #expect(result.stdout.contains("libarchive 3."))
    }
}
