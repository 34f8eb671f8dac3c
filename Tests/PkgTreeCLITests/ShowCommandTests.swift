import Foundation
import Testing

/// `pkgtree show` as a user runs it: what will build for one package on one architecture.
@Suite struct ShowCommandTests {
    static let sum = String(repeating: "a", count: 64)
    static let armSum = String(repeating: "b", count: 64)
    static let tree: [String: String] = [
        "lib/buildinfo.json": """
            {
              "single_source": {"kind": "url", "url": "https://example.invalid/lib-amd64.tar.gz", "sha256": "\(sum)"},
              "arch": {
                "arm64": {
                  "single_source": {"url": "https://example.invalid/lib-arm64.tar.gz", "sha256": "\(armSum)"},
                  "docker": "arm64v8/debian:12"
                }
              }
            }
            """,
        "lib/build": "#!/bin/bash\n./configure --host=$PKG_TRIPLET '--prefix=$PKG_PATH'\n",
        "app/buildinfo.json": #"{"requires": ["lib"], "cross": true}"#,
        "app/build": "#!/bin/bash\nmake\n",
        "x86only/buildinfo.json": #"{"architectures": ["x86_64"]}"#,
        "x86only/build": "#!/bin/bash\nmake\n",
    ]

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Package name -> id, as `plan --json` computes them.
    static func planIDs(_ scratch: ScratchTree, arch: String) async throws -> [String: String] {
        let plan = try await CLIRunner.run(["plan", "--json", "--arch", arch, "--packages", scratch.packages.path])
        let packages = try #require(try json(plan.stdout)["packages"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: packages.map { ($0["name"] as! String, $0["id"] as! String) })
    }

    @Test func textShowsTheIdTheOverlayTheScriptTheBuilderAndTheSources() async throws {
        let scratch = try ScratchTree(Self.tree)
        let cache = scratch.directory.appendingPathComponent("cache")
        let result = try await CLIRunner.run(["show", "lib", "--arch", "arm64", "--packages", "packages"], in: scratch.directory, cache: cache)
        #expect(result.status == 0, "\(result.stderr)")
        let ids = try await Self.planIDs(scratch, arch: "aarch64")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "lib for aarch64, tree variant <default>")
        #expect(lines[1] == "  id            \(ids["lib"]!)")
        #expect(lines[2] == "  buildinfo     packages/lib/buildinfo.json (with its arch overlay for aarch64)")
        #expect(lines[3].hasPrefix("  build script  packages/lib/build  sha256 "))
        #if arch(x86_64)
        #expect(lines[4] == "  builder       arm64v8/debian:12 (linux/arm64), emulated (QEMU) on x86_64")
        #endif
        #expect(lines[5] == "  sources       lib: url https://example.invalid/lib-arm64.tar.gz  (id: sha256 \(Self.armSum))")
        #expect(result.stdout.contains("\"docker\": \"arm64v8/debian:12\""))
        #expect(!FileManager.default.fileExists(atPath: cache.path), "show must not create the cache")
    }

    @Test func jsonCarriesTheSameIdsAsPlan() async throws {
        let scratch = try ScratchTree(Self.tree)
        let result = try await CLIRunner.run(["show", "app", "--arch", "aarch64", "--json", "--packages", scratch.packages.path])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.json(result.stdout)
        let ids = try await Self.planIDs(scratch, arch: "aarch64")
        #expect(document["id"] as? String == ids["app"])
        #expect(document["arch"] as? String == "aarch64")
        let requires = try #require(document["requires"] as? [[String: Any]])
        #expect(requires.map { $0["name"] as? String } == ["lib"])
        #expect(requires.map { $0["id"] as? String } == [ids["lib"]])
        let builder = try #require(document["builder"] as? [String: Any])
        #expect(builder["mode"] as? String == "cross")
        #expect((document["buildinfo"] as? [String: Any])?["cross"] as? Bool == true)
        let script = try #require(document["build_script"] as? [String: Any])
        let sum = try await CLIRunner.runTool("/usr/bin/sha256sum", [scratch.packages.appendingPathComponent("app/build").path])
        #expect(script["path"] as? String == "build")
        #expect(sum.stdout.hasPrefix("\(script["sha256"] as? String ?? "-") "))
        #expect((document["inputs"] as? [String: Any])?["requires"] as? [String] == [ids["lib"]!])
    }

    @Test func scriptPrintsTheScriptAndExpandWritesTheVariablesOut() async throws {
        let scratch = try ScratchTree(Self.tree)
        let plain = try await CLIRunner.run(["show", "lib", "--arch", "aarch64", "--script", "--packages", scratch.packages.path])
        #expect(plain.stdout == Self.tree["lib/build"])
        let expanded = try await CLIRunner.run(["show", "lib", "--arch", "aarch64", "--script", "--expand", "--packages", scratch.packages.path])
        #expect(expanded.stdout == "#!/bin/bash\n./configure --host=aarch64-linux-gnu '--prefix=$PKG_PATH'\n")
        let usage = try await CLIRunner.run(["show", "lib", "--expand", "--packages", scratch.packages.path])
        #expect(usage.status == 2)
    }

    @Test func anUnsupportedPackageSaysWhyAndHasNoId() async throws {
        let scratch = try ScratchTree(Self.tree)
        let text = try await CLIRunner.run(["show", "x86only", "--arch", "aarch64", "--packages", scratch.packages.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("  not built     unsupported on aarch64 (architectures: x86_64)"))
        let json = try await CLIRunner.run(["show", "x86only", "--arch", "aarch64", "--json", "--packages", scratch.packages.path])
        let document = try Self.json(json.stdout)
        #expect(document["id"] is NSNull)
        #expect((document["unbuildable"] as? String)?.hasPrefix("unsupported on aarch64") == true)
    }

    @Test func anUnknownPackageIsBadInput() async throws {
        let scratch = try ScratchTree(Self.tree)
        let result = try await CLIRunner.run(["show", "libs", "--arch", "aarch64", "--packages", scratch.packages.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'libs' is not a package"))
        #expect(result.stderr.contains("did you mean 'lib'?"))
    }
}
