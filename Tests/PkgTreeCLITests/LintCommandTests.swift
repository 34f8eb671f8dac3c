import Foundation
import Testing

/// `pkgtree lint` as a user runs it: diagnostics, JSON, exit codes, and nothing written.
@Suite struct LintCommandTests {
    static let tree: [String: String] = [
        "foo/buildinfo.json": """
            {
              "single_source": {"kind": "url", "url": "https://example.invalid/foo-1.0-linux-amd64.tar.gz",
                                "sha256": "\(String(repeating: "0", count: 64))"}
            }
            """,
        "foo/build": "#!/bin/bash\nset -e\nexport GOARCH=amd64\n",
        "foo/docker/Dockerfile": "FROM amd64/ubuntu:22.04\n",
        "clean/buildinfo.json": "{}",
        "clean/build": "#!/bin/bash\nexport GOARCH=\"$PKG_GOARCH\"\n",
    ]

    @Test func findingsPrintAsDiagnosticsAndExitOne() async throws {
        let scratch = try ScratchTree(Self.tree)
        let before = scratch.snapshot()
        let result = try await CLIRunner.run(["lint", "--arch", "arm64", "--packages", "packages"], in: scratch.directory)
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "packages/foo/build:3:15: arch-name: 'amd64' names x86_64, another architecture than this build's, aarch64")
        #expect(lines[1] == "    export GOARCH=amd64")
        #expect(lines[2] == "                  ^~~~~")
        #expect(lines[3].hasPrefix("  suggestion: write $PKG_GOARCH (arm64 on aarch64)"))
        #expect(result.stdout.contains("packages/foo/buildinfo.json:2:"))
        #expect(result.stdout.contains(": download-arch: "))
        #expect(result.stdout.contains("packages/foo/docker/Dockerfile:1:6: builder-image: "))
        #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix("3 findings for aarch64 in 1 package (2 packages linted)") == true)
        #expect(scratch.snapshot() == before, "lint wrote into the tree")
    }

    @Test func jsonIsOneDocumentWithEveryFinding() async throws {
        let scratch = try ScratchTree(Self.tree)
        let result = try await CLIRunner.run(["lint", "--arch", "aarch64", "--json", "--packages", scratch.packages.path])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["arch"] as? String == "aarch64")
        #expect(document["packages"] as? [String] == ["clean", "foo"])
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["arch-name", "download-arch", "builder-image"])
        let first = findings[0]
        #expect((first["file"] as? String)?.hasSuffix("packages/foo/build") == true)
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 15)
        #expect(first["package"] as? String == "foo")
        #expect(first["text"] as? String == "amd64")
        #expect(first["source_line"] as? String == "export GOARCH=amd64")
        #expect((first["suggestion"] as? String)?.contains("$PKG_GOARCH") == true)
        #expect(findings[1]["field"] as? String == "single_source.url")
        #expect(document["counts"] as? [String: Int] == ["arch-name": 1, "download-arch": 1, "builder-image": 1])
    }

    @Test func aCleanTreeExitsZero() async throws {
        let scratch = try ScratchTree(Self.tree)
        let result = try await CLIRunner.run(["lint", "clean", "--arch", "aarch64", "--packages", scratch.packages.path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == "no findings for aarch64 (1 package linted)\n")
        #expect(result.stderr.isEmpty)
        let json = try await CLIRunner.run(["lint", "--arch", "x86_64", "--json", "--packages", scratch.packages.path])
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func aBrokenTreeExitsTwoWithTheLoadersProblems() async throws {
        var files = Self.tree
        files["clean/buildinfo.json"] = #"{"pkgtree_lint": {"ignore": ["arch-nme"]}}"#
        let scratch = try ScratchTree(files)
        let result = try await CLIRunner.run(["lint", "--arch", "aarch64", "--packages", "packages"], in: scratch.directory)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("packages/clean/buildinfo.json: package 'clean': field 'pkgtree_lint.ignore[0]': 'arch-nme' is not a lint rule"))
        #expect(result.stderr.contains("did you mean 'arch-name'?"))
    }

    @Test(arguments: [["lint", "--arch", "x86_64,aarch64"], ["lint", "--arch", "sparc"], ["lint", "--format", "json"]])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let scratch = try ScratchTree(Self.tree)
        let result = try await CLIRunner.run(arguments + ["--packages", scratch.packages.path])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
    }

    @Test(arguments: ["x86_64", "aarch64"])
    func theBundledTreeLintsClean(arch: String) async throws {
        let result = try await CLIRunner.run(["lint", "--arch", arch, "--packages", BundledTreeTests.packages])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("no findings for \(arch)"))
    }
}
