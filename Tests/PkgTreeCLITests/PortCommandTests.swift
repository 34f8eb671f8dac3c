import Foundation
import Testing

/// `pkgtree port` on a fork made the way ports are made (`Fixtures/Port`): images, URLs and
/// checksums, triplets in library paths, configure targets, an x86-only flag removed, a name no
/// variable holds, a file added to `extra/`, a script rewritten beyond names. After `--write`,
/// `pkgtree show` of every package reads for aarch64 as the fork's and for x86_64 as before.
@Suite struct PortCommandTests {
    static let fixtures = CLIRunner.repositoryRoot.appendingPathComponent("Tests/PkgTreeCLITests/Fixtures/Port")
    static let packages = ["agent", "gotool", "libfoo", "motd", "node"]

    /// `tree/` and `fork/` copied from the fixtures, and `original/`, an untouched copy of `tree/`.
    struct Scratch {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-port-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (from, to) in [("tree", "tree"), ("tree", "original"), ("fork", "fork")] {
                try FileManager.default.copyItem(at: fixtures.appendingPathComponent(from), to: directory.appendingPathComponent(to))
            }
        }

        func port(_ extra: [String] = []) async throws -> CLIRunner.Outcome {
            try await CLIRunner.run(["port", "--packages", "tree/packages", "--from", "fork/packages", "--arch", "arm64"] + extra,
                                    in: directory)
        }

        func text(_ path: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
        }

        /// Every file under `tree/` with its contents.
        func files() -> [String: Data] {
            var result: [String: Data] = [:]
            let root = directory.appendingPathComponent("tree")
            let enumerator = FileManager.default.enumerator(atPath: root.path)
            while let path = enumerator?.nextObject() as? String {
                if let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) { result[path] = data }
            }
            return result
        }
    }

    @Test func theDryRunPrintsOneLinePerChangeAndWritesNothing() async throws {
        let scratch = try Scratch()
        let before = scratch.files()
        let result = try await scratch.port()
        #expect(result.status == 1, "a rewritten script needs review: \(result.stderr)")
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        for expected in [
            #"tree/packages/gotool/buildinfo.json:3:13: overlay: arch.aarch64.docker: "golang:1.8" -> "arm64v8/golang:1.8""#,
            #"tree/packages/gotool/buildinfo.json:7:14: overlay: arch.aarch64.sources.gotool.url: "https://example.invalid/gotool-1.2-linux-amd64.tar.gz" -> "https://example.invalid/gotool-1.2-linux-arm64.tar.gz""#,
            #"tree/packages/gotool/build:5:33: script-unified: 'amd64' (x86_64) / 'arm64' (aarch64) -> ${PKG_GOARCH}"#,
            #"tree/packages/libfoo/buildinfo.json:8:15: overlay: arch.aarch64.environment.CFLAGS: "-O2 -msse4.2" -> "-O2""#,
            #"tree/packages/libfoo/build:4:19: script-unified: 'x86_64' (x86_64) / 'aarch64' (aarch64) -> ${PKG_ARCH}"#,
            #"tree/packages/libfoo/build:8:16: script-unified: 'x86_64-linux-gnu' (x86_64) / 'aarch64-linux-gnu' (aarch64) -> ${PKG_TRIPLET}"#,
            #"tree/packages/node/build:4:39: script-unified: 'x64' (x86_64) / 'arm64' (aarch64) -> ${PORT_ARCH_NAME_1}"#,
            #"tree/packages/node/buildinfo.json:3:22: overlay: arch.aarch64.state_directory: true -> false"#,
            "tree/packages/motd/extra/arm64-notes.txt: extra: added from the fork; builds of every architecture see it, so all their ids change",
            #"tree/packages/agent/buildinfo.json:1:1: overlay: arch.aarch64.build_script: set to "aarch64.build""#,
            "port to aarch64 from fork/packages (x86_64 stays as it was): 5 packages compared: 4 folded, 1 to review, 0 unchanged; "
                + "4 overlays written, 3 scripts unified, 1 script kept per architecture; only in this tree: cpuid-info; only in the fork: none",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\n\(result.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("tree/packages/agent/build:3:1: script-per-arch: not folded: review: the fork adds or removes lines") })
        #expect(lines.contains { $0.hasPrefix("dry run: nothing written; --write writes 9 files: ") })
        #expect(scratch.files() == before, "a dry run wrote into the tree")
    }

    @Test func afterWriteShowReadsAsTheForkForAarch64AndAsBeforeForX86() async throws {
        let scratch = try Scratch()
        let written = try await scratch.port(["--write"])
        #expect(written.status == 1, "\(written.stderr)")
        #expect(written.stdout.contains("wrote 9 files: "))
        for package in Self.packages {
            for (arch, reference) in [("aarch64", "fork"), ("x86_64", "original")] {
                let ours = try await Self.show(package, arch: arch, tree: "tree", in: scratch)
                let theirs = try await Self.show(package, arch: arch, tree: reference, in: scratch)
                #expect(ours.buildinfo == theirs.buildinfo, "\(package) for \(arch): buildinfo differs from \(reference)'s")
                #expect(ours.script == theirs.script, "\(package) for \(arch): the script reads differently from \(reference)'s")
            }
        }
        // The buildinfo files were edited in place: what was there is still there, byte for byte.
        let original = try scratch.text("original/packages/gotool/buildinfo.json")
        let folded = try scratch.text("tree/packages/gotool/buildinfo.json")
        let lastMember = try #require(original.range(of: "\"CGO_ENABLED\": \"0\"}"))
        #expect(folded.hasPrefix(String(original[..<lastMember.upperBound]) + ",\n  \"arch\": {\n    \"aarch64\": {\n      \"docker\": "))
        #expect(try scratch.text("tree/packages/agent/aarch64.build") == scratch.text("fork/packages/agent/build"))
    }

    @Test func aFoldedTreeFoldsToNothing() async throws {
        let scratch = try Scratch()
        _ = try await scratch.port(["--write"])
        let folded = scratch.files()
        let again = try await scratch.port(["--write"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("5 packages compared: 0 folded, 0 to review, 5 unchanged; 0 overlays written"))
        #expect(again.stdout.hasSuffix("nothing to write\n"))
        #expect(scratch.files() == folded)
    }

    @Test func jsonIsOneDocument() async throws {
        let scratch = try Scratch()
        let result = try await scratch.port(["--json"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["arch"] as? String == "aarch64")
        #expect(document["base_arch"] as? String == "x86_64")
        #expect(document["written"] as? Bool == false)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["folded"] as? Int == 4)
        #expect(summary["scripts_per_arch"] as? Int == 1)
        #expect(summary["only_here"] as? [String] == ["cpuid-info"])
        let changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes.filter { $0["folded"] as? Bool == false }.map { $0["kind"] as? String } == ["script-per-arch"])
        #expect((document["writes"] as? [String])?.count == 9)
    }

    @Test func badInputExitsTwoAndWritesNothing() async throws {
        let scratch = try Scratch()
        let before = scratch.files()
        let missing = try await CLIRunner.run(["port", "--packages", "tree/packages", "--from", "nowhere", "--arch", "aarch64", "--write"],
                                              in: scratch.directory)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nowhere: the packages directory cannot be read"))
        let sameArch = try await scratch.port(["--base-arch", "arm64"])
        #expect(sameArch.status == 2)
        try Data("{\"requires\": 3}".utf8).write(to: scratch.directory.appendingPathComponent("fork/packages/node/buildinfo.json"))
        let broken = try await scratch.port(["--write"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("fork/packages/node/buildinfo.json: package 'node': field 'requires'"))
        #expect(scratch.files() == before)
    }

    /// What the property compares: the effective buildinfo without `build_script`, and the
    /// script's text with the `PKG_*` variables written out.
    static func show(_ package: String, arch: String, tree: String, in scratch: Scratch) async throws -> (buildinfo: NSDictionary, script: String) {
        let result = try await CLIRunner.run(["show", package, "--arch", arch, "--json", "--script", "--expand",
                                              "--packages", "\(tree)/packages"], in: scratch.directory)
        #expect(result.status == 0, "\(result.stderr)")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var buildinfo = try #require(document["buildinfo"] as? [String: Any])
        buildinfo["build_script"] = nil
        document["buildinfo"] = buildinfo
        let script = try #require((document["build_script"] as? [String: Any])?["text"] as? String)
        return (NSDictionary(dictionary: buildinfo), script)
    }
}
