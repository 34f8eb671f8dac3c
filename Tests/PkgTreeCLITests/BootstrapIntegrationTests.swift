import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree bootstrap` and `pkgtree install` on the bundled tree built for aarch64 with each
/// real runner under QEMU; each runner's built cache is shared by the suite's tests.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BootstrapIntegrationTests {
    static let bundledTree = CLIRunner.repositoryRoot.appendingPathComponent("packages").path

    /// The bundled tree built for aarch64 once per runner, each in a scratch cache.
    static let builtCaches = Dictionary(uniqueKeysWithValues: EngineContainers.runners.map { runner in
        (runner, Task<URL, Error> {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-bootstrap-\(runner)-\(UUID().uuidString)")
            let cache = try BuilderImages.cache(in: directory)
            let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", runner, "--packages", bundledTree,
                                                 "--cache", cache.path],
                                                cache: cache)
            guard build.status == 0 else { throw BuildFailed(output: build.stdout + build.stderr) }
            return cache
        })
    })

    static func builtCache(_ runner: String) async throws -> URL {
        try await builtCaches[runner]!.value
    }

    struct BuildFailed: Error { var output: String }

    static func bootstrap(into output: URL, cache: URL) async throws -> (CLIRunner.Outcome, URL?) {
        let run = try await CLIRunner.run(["bootstrap", "--arch", "aarch64", "--packages", bundledTree, "--cache", cache.path,
                                           "--output", output.path], cache: cache)
        let directory = output.appendingPathComponent("bootstrap/aarch64")
        let id = try? String(contentsOf: directory.appendingPathComponent("bootstrap.latest"), encoding: .utf8)
        return (run, id.map { directory.appendingPathComponent("\($0).bootstrap.tar.xz") })
    }

    static func scratch(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-\(name)-\(UUID().uuidString)")
    }

    @Test(arguments: EngineContainers.runners)
    func twoBootstrapsOfOneTreeAreByteIdenticalAndTheSecondIsNotRewritten(runner: String) async throws {
        let cache = try await Self.builtCache(runner)
        let first = Self.scratch("out-a"), second = Self.scratch("out-b")
        let (made, tarball) = try await Self.bootstrap(into: first, cache: cache)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("written"))
        let (again, other) = try await Self.bootstrap(into: second, cache: cache)
        #expect(again.status == 0)
        let a = try Data(contentsOf: try #require(tarball)), b = try Data(contentsOf: try #require(other))
        #expect(a == b)
        let (third, _) = try await Self.bootstrap(into: first, cache: cache)
        #expect(third.stdout.contains("up to date"))
        let complete = try String(contentsOf: first.appendingPathComponent("bootstrap/aarch64/complete.latest.json"), encoding: .utf8)
        #expect(complete.contains(#""bootstrap":""#) && complete.contains("hello--"))
    }

    @Test(arguments: EngineContainers.runners)
    func systemTarExtractsItAndEveryLinkResolvesInsideTheRoot(runner: String) async throws {
        let cache = try await Self.builtCache(runner)
        let (made, tarball) = try await Self.bootstrap(into: Self.scratch("out"), cache: cache)
        #expect(made.status == 0, "\(made.stderr)")
        let root = Self.scratch("tar-root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-xJf", try #require(tarball).path, "-C", root.path])
        #expect(tar.status == 0, "\(tar.stderr)")
        let resolvedRoot = root.resolvingSymlinksInPath().path + "/"
        var links = 0
        for directory in ["active", "bin", "lib", "include", "etc"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(directory).path)
            while let path = enumerator?.nextObject() as? String {
                let url = root.appendingPathComponent(directory).appendingPathComponent(path)
                guard (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil else { continue }
                links += 1
                let target = url.resolvingSymlinksInPath().path
                #expect(target.hasPrefix(resolvedRoot), "\(directory)/\(path) -> \(target)")
                #expect(FileManager.default.fileExists(atPath: target), "\(directory)/\(path) dangles")
            }
        }
        #expect(links >= 12)  // 7 active/ links, 5 programs, the libgreet library and header
        for name in ["hello", "libgreet", "motd", "checksum"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("active/\(name)/pkginfo.json").path))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("active/cpuid-info").path),
                "cpuid-info is x86_64 only")
    }

    @Test(arguments: EngineContainers.runners)
    func theInstalledAarch64BootstrapRunsItsProgramUnderQEMU(runner: String) async throws {
        let cache = try await Self.builtCache(runner)
        let (_, tarball) = try await Self.bootstrap(into: Self.scratch("out"), cache: cache)
        let root = Self.scratch("root")
        let install = try await CLIRunner.run(["install", try #require(tarball).path, "--root", root.path], cache: cache)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("active  hello") && install.stdout.contains("packages activated"))
        let run = try await BuilderContainer.run(root: root, ". /opt/pkgtree/environment.export; uname -m; hello Bob; echo $GREET_DEFAULT_NAME")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "aarch64\nHello, Bob!\nworld\n")
        let again = try await CLIRunner.run(["install", try #require(tarball).path, "--root", root.path], cache: cache)
        #expect(again.status == 2 && again.stderr.contains("--root"))
    }

    @Test func bootstrapOfAnUnbuiltTreeSaysWhatToBuild() async throws {
        let directory = Self.scratch("unbuilt")
        let cache = try BuilderImages.cache(in: directory)
        let (run, _) = try await Self.bootstrap(into: directory.appendingPathComponent("out"), cache: cache)
        #expect(run.status == 1)
        #expect(run.stderr.contains("not built") && run.stderr.contains("pkgtree build --arch aarch64"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/bootstrap/aarch64/bootstrap.latest").path))
    }
}

/// `pkgtree release create|ls` and installing from a release, on the bundled tree.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ReleaseIntegrationTests {
    static let schema = CLIRunner.repositoryRoot.appendingPathComponent("docs/release.schema.json")

    @Test func releaseOfBothArchitecturesChecksOutAndInstallsWithItsDigest() async throws {
        let cache = try await BootstrapIntegrationTests.builtCache("bwrap")
        let output = BootstrapIntegrationTests.scratch("release")
        let arguments = ["release", "create", "--arch", "x86_64,aarch64", "--runner", "bwrap", "--packages",
                         BootstrapIntegrationTests.bundledTree, "--cache", cache.path, "--output", output.path]
        let create = try await CLIRunner.run(arguments, cache: cache)
        #expect(create.status == 0, "\(create.stdout)\n\(create.stderr)")
        #expect(create.stdout.contains("linux/amd64") && create.stdout.contains("linux/arm64 (installer)"))
        let list = try await CLIRunner.run(["release", "ls", "--output", output.path], cache: cache)
        let releaseID = try #require(list.stdout.split(separator: " ").first.map(String.init))
        let directory = try #require(try FileManager.default.contentsOfDirectory(atPath: output.path)
            .first { $0.hasPrefix(releaseID) }.map { output.appendingPathComponent($0) })

        let sums = try await CLIRunner.runTool("/usr/bin/sha256sum", ["-c", "--strict", "SHA256SUMS"], in: directory)
        #expect(sums.status == 0, "\(sums.stdout)\(sums.stderr)")
        #expect(sums.stdout.contains("release.json: OK") && sums.stdout.contains(".bootstrap.tar.xz: OK"))

        let validate = """
            import json, sys, jsonschema
            schema, instance = (json.load(open(path)) for path in sys.argv[1:3])
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(instance)
            print(sorted((m["platform"]["architecture"], m["tree_variant"] or "") for m in instance["manifests"]))
            """
        let schema = try await CLIRunner.runTool("/usr/bin/python3", ["-c", validate, Self.schema.path,
                                                                     directory.appendingPathComponent("release.json").path])
        #expect(schema.status == 0, "\(schema.stderr)")
        #expect(schema.stdout == "[('amd64', ''), ('amd64', 'installer'), ('arm64', ''), ('arm64', 'installer')]\n")

        let again = try await CLIRunner.run(arguments, cache: cache)
        #expect(again.stdout.contains("release \(try #require(directory.lastPathComponent as String?)) exists"))

        let root = BootstrapIntegrationTests.scratch("release-root")
        let install = try await CLIRunner.run(["install", directory.path, "--arch", "aarch64", "--root", root.path], cache: cache)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("SHA-256 checked against release.json"))
        let run = try await BuilderContainer.run(root: root, "/opt/pkgtree/bin/hello Release")
        #expect(run.stdout == "Hello, Release!\n", "\(run.stderr)")

        let missing = try await CLIRunner.run(["install", directory.path, "--arch", "riscv64", "--root",
                                               BootstrapIntegrationTests.scratch("none").path], cache: cache)
        #expect(missing.status == 2 && missing.stderr.contains("no riscv64 bootstrap"))
    }

    @Test func aDamagedBootstrapIsRefusedBeforeAnythingIsWritten() async throws {
        let cache = try await BootstrapIntegrationTests.builtCache("bwrap")
        let output = BootstrapIntegrationTests.scratch("release-damaged")
        let create = try await CLIRunner.run(["release", "create", "--arch", "aarch64", "--variant", "installer", "--runner", "bwrap",
                                              "--packages", BootstrapIntegrationTests.bundledTree, "--cache", cache.path,
                                              "--output", output.path], cache: cache)
        #expect(create.status == 0, "\(create.stderr)")
        let directory = try #require(try FileManager.default.contentsOfDirectory(atPath: output.path)
            .first { $0.count == 64 }.map { output.appendingPathComponent($0) })
        let arch = directory.appendingPathComponent("aarch64")
        let tarball = try #require(try FileManager.default.contentsOfDirectory(atPath: arch.path).first { $0.hasSuffix(".bootstrap.tar.xz") })
        let copy = arch.appendingPathComponent(tarball)
        let data = try Data(contentsOf: copy)
        try FileManager.default.removeItem(at: copy)  // a hard link to bootstrap/: replace, don't write through it
        try (data + Data("damage".utf8)).write(to: copy)
        let root = BootstrapIntegrationTests.scratch("damaged-root")
        let install = try await CLIRunner.run(["install", directory.path, "--arch", "aarch64", "--variant", "installer",
                                               "--root", root.path], cache: cache)
        #expect(install.status == 2)
        #expect(install.stderr.contains("SHA-256"))
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }
}
