import Crypto
import Foundation
import Testing
@testable import PkgTreeKit
import RegistryTestSupport

/// The image archive pkgtree loads builder images from (`docker load`, `podman load`): read
/// back with the system's tar, then loaded into the real engines, whose containers must be of
/// the platform the config names, without a registry.
@Suite struct ImageArchiveTests {
    /// A root filesystem tarball made by the system's tar.
    static func rootfs(_ fixture: ArchiveFixture, binaries: [String: URL] = [:]) async throws -> URL {
        let tree = try fixture.sampleTree("rootfs")
        for (path, binary) in binaries {
            try fixture.mkdir("rootfs/" + (path as NSString).deletingLastPathComponent)
            try FileManager.default.copyItem(at: binary, to: tree.appendingPathComponent(path))
        }
        let tarball = fixture.url("rootfs.tar")
        try await ArchiveFixture.run(["tar", "-C", tree.path, "--numeric-owner", "-cf", tarball.path, "."])
        return tarball
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test(arguments: [Architecture.x86_64, .aarch64, .armv7])
    func theArchiveHoldsTheTarballAsItsLayerAndAConfigNamingThePlatform(arch: Architecture) async throws {
        let fixture = try ArchiveFixture()
        let rootfs = try await Self.rootfs(fixture)
        let archive = fixture.url("image.tar")
        let id = try ImageArchive.write(rootfs: rootfs, reference: "localhost/pkgtree/test:1", platform: arch.imagePlatform, to: archive)

        let listing = try await ArchiveFixture.run(["tar", "-tf", archive.path]).split(separator: "\n").map(String.init)
        #expect(listing.count == 3 && listing.first == "layer.tar" && listing.last == "manifest.json", "\(listing)")
        let out = fixture.url("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try await ArchiveFixture.run(["tar", "-xf", archive.path, "-C", out.path])
        let layer = try Data(contentsOf: out.appendingPathComponent("layer.tar"))
        #expect(layer == (try Data(contentsOf: rootfs)))

        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [[String: Any]])
        #expect(manifest.count == 1 && manifest[0]["RepoTags"] as? [String] == ["localhost/pkgtree/test:1"])
        #expect(manifest[0]["Layers"] as? [String] == ["layer.tar"])
        let configName = try #require(manifest[0]["Config"] as? String)
        let configData = try Data(contentsOf: out.appendingPathComponent(configName))
        #expect(id == "sha256:" + SHA256.hash(data: configData).hexString && configName == id.dropFirst(7) + ".json")
        let config = try Self.json(out.appendingPathComponent(configName))
        #expect(config["os"] as? String == "linux")
        #expect(config["architecture"] as? String == arch.goArch)
        #expect(config["variant"] as? String == (arch == .armv7 ? "v7" : nil))
        let rootFS = try #require(config["rootfs"] as? [String: Any])
        #expect(rootFS["type"] as? String == "layers")
        #expect(rootFS["diff_ids"] as? [String] == ["sha256:" + SHA256.hash(data: layer).hexString])
        // One history entry per layer, without a time: podman 4.3 cannot build on an image without.
        let history = try #require(config["history"] as? [[String: Any]])
        #expect(history.count == 1 && history[0]["created_by"] as? String == "pkgtree image build: the root filesystem" && history[0]["created"] == nil)

        // The same tarball and platform give the same image id.
        #expect(try ImageArchive.write(rootfs: rootfs, reference: "other:2", platform: arch.imagePlatform, to: fixture.url("again.tar")) == id)
    }

    /// A registry image's archive: its blobs as they are, in order, tagged as asked.
    @Test func aPulledImageIsArchivedWithItsOwnConfigAndLayerBlobs() async throws {
        let fixture = try ArchiveFixture()
        let layers = [try fixture.write("a.tar.gz", "first blob"), try fixture.write("b.tar", "second blob")]
        let config = Data(#"{"architecture":"arm64","os":"linux"}"#.utf8)
        let archive = fixture.url("image.tar")
        try ImageArchive.write(config: config, layers: layers, reference: "localhost/pkgtree/builder-aarch64:abc", to: archive)
        let out = fixture.url("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try await ArchiveFixture.run(["tar", "-xf", archive.path, "-C", out.path])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [[String: Any]])
        let layerPaths = try #require(manifest.first?["Layers"] as? [String])
        #expect(try layerPaths.map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) } == ["first blob", "second blob"])
        let configName = try #require(manifest.first?["Config"] as? String)
        #expect(try Data(contentsOf: out.appendingPathComponent(configName)) == config)
        #expect(configName == SHA256.hash(data: config).hexString + ".json")
        #expect(manifest.first?["RepoTags"] as? [String] == ["localhost/pkgtree/builder-aarch64:abc"])
    }

    static let crossCompiler = "/usr/bin/aarch64-linux-gnu-gcc"

    /// The engine as the repository's pkgtree.json configures it.
    static func engine(_ kind: RunnerKind) throws -> EngineRunner {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pkgtree.json")
        return EngineRunner(kind: kind, tool: try RunnerConfiguration.read(file).tool(kind))
    }

    @Test(.tags(.container), .enabled(if: FileManager.default.isExecutableFile(atPath: crossCompiler), "needs aarch64-linux-gnu-gcc (scripts/setup.sh installs it)"),
          arguments: [RunnerKind.docker, .podman])
    func aLoadedAarch64ImageRunsAsAarch64WithoutARegistry(kind: RunnerKind) async throws {
        let engine = try Self.engine(kind)
        let answers = try await ToolRunner.capture(engine.probeCommand)
        try #require(answers.status == 0, "\(kind.rawValue) does not answer (scripts/setup.sh starts it): \(answers.output)")
        let fixture = try ArchiveFixture()
        try fixture.write("machine.c", "#include <stdio.h>\n#include <sys/utsname.h>\nint main(void) { struct utsname u; uname(&u); puts(u.machine); return 0; }\n")
        try await ArchiveFixture.run([Self.crossCompiler, "-static", "-o", fixture.url("machine").path, fixture.url("machine.c").path])
        let rootfs = try await Self.rootfs(fixture, binaries: ["bin/machine": fixture.url("machine"), "bin/true": fixture.url("machine")])
        let reference = "localhost/pkgtree/test-image-archive:\(UUID().uuidString.prefix(8).lowercased())"
        let archive = fixture.url("image.tar")
        try ImageArchive.write(rootfs: rootfs, reference: reference, platform: Architecture.aarch64.imagePlatform, to: archive)

        let load = try await ToolRunner.capture(engine.loadCommand(archive: archive.path))
        #expect(load.status == 0, "\(load.output)")
        #expect(try await engine.hasImage(reference, for: .aarch64))
        #expect(try await !engine.hasImage(reference, for: .x86_64))
        // The probe's own command: `--pull never` fails rather than ask a registry.
        let probe = try await ToolRunner.capture(engine.probeRunCommand(image: reference, platform: .aarch64))
        #expect(probe.status == 0, "\(probe.output)")
        var run = engine.probeRunCommand(image: reference, platform: .aarch64)
        run.arguments[try #require(run.arguments.firstIndex(of: "--entrypoint")) + 1] = "/bin/machine"
        let machine = try await ToolRunner.capture(run)
        #expect(machine.status == 0 && machine.output.hasSuffix("aarch64\n"), "\(machine.output)")
        // An image built on it (as a tree's Dockerfile builder is): every step is committed.
        #expect(try await engine.hasImage(reference, for: .aarch64, withHistory: true))
        try fixture.write("context/Dockerfile", "FROM \(reference)\nENV PKGTREE_TEST=1\nENV PATH=/bin\n")
        let derived = reference + "-derived"
        let built = try await ToolRunner.capture(engine.buildCommand(context: fixture.url("context").path, reference: derived, arch: .aarch64, buildArguments: [:]))
        #expect(built.status == 0, "\(built.output)")
        // The same layer under a config without history, as an older pkgtree loaded it: podman's
        // copy counts as missing, so that the builder image is loaded again.
        let bare = reference + "-bare"
        let bareConfig = Data(#"{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:\#(SHA256.hash(data: try Data(contentsOf: rootfs)).hexString)"]}}"#.utf8)
        try ImageArchive.write(config: bareConfig, layers: [rootfs], reference: bare, to: fixture.url("bare.tar"))
        let loadedBare = try await ToolRunner.capture(engine.loadCommand(archive: fixture.url("bare.tar").path))
        #expect(loadedBare.status == 0, "\(loadedBare.output)")
        #expect(try await engine.hasImage(bare, for: .aarch64))
        #expect(try await engine.hasImage(bare, for: .aarch64, withHistory: true) == (kind == .docker))
        _ = try await ToolRunner.capture(ToolCommand(kind.rawValue, engine.tool.globalOptions + ["rmi", "--force", derived, bare],
                                                     environment: engine.tool.environment))
        _ = try await ToolRunner.capture(ToolCommand(kind.rawValue, engine.tool.globalOptions + ["rmi", "--force", reference],
                                                     environment: engine.tool.environment))
    }
}
