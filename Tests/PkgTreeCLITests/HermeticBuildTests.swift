import Foundation
import Subprocess
import Testing
import RegistryTestSupport

/// Builds are hermetic by construction (docs/build.md): whatever a script writes outside
/// `$PKG_PATH` lands in a throwaway layer, so the next build sees none of it, the shared
/// image never changes, and the cached sources stay as they were downloaded.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct HermeticBuildTests {
    /// Writes all over the root, edits its source and deletes an image file; records which of
    /// the read-only places it managed to write.
    static let firstScript = """
        mkdir -p /build /pkg/scratch "$PKG_PATH/share"
        touch /build/first /pkg/scratch/first
        echo tool > /usr/bin/first-tool
        echo marker > /etc/first-marker
        rm /etc/debian_version
        echo edited >> /pkg/src/first/data.txt
        : > "$PKG_PATH/share/wrote"
        for target in /pkg/build/evil /pkg/extra/evil /opt/mesosphere/evil; do
            if touch "$target" 2>/dev/null; then echo "$target" >> "$PKG_PATH/share/wrote"; fi
        done

        """

    /// Lists what it can see of the first build's writes.
    static let secondScript = """
        mkdir -p "$PKG_PATH/share"
        : > "$PKG_PATH/share/seen"
        for path in /build /pkg/scratch /usr/bin/first-tool /etc/first-marker /pkg/extra /pkg/src/first; do
            if [ -e "$path" ]; then echo "$path" >> "$PKG_PATH/share/seen"; fi
        done
        if [ ! -e /etc/debian_version ]; then echo "/etc/debian_version is gone" >> "$PKG_PATH/share/seen"; fi

        """

    static func tree(_ sources: SourceServer) async throws -> ScratchTree {
        let data = try await sources.file("data.txt", "data\n")
        return try ScratchTree([
            "first/buildinfo.json": #"{"single_source": \#(data)}"#, "first/build": firstScript, "first/extra/notes.txt": "notes\n",
            "second/buildinfo.json": "{}", "second/build": secondScript,
        ])
    }

    static func build(_ name: String, runner: String, _ scratch: ScratchTree, cache: URL) async throws {
        let build = try await CLIRunner.run(["build", name, "--arch", "x86_64", "--runner", runner,
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
    }

    /// Two builds one after the other with `runner`; `imageDigest` fingerprints the image
    /// before and after them.
    static func secondBuildSeesNothingOfTheFirst(runner: String, cache: URL, _ scratch: ScratchTree, sources: SourceServer,
                                                 imageDigest: () async throws -> String) async throws {
        let before = scratch.snapshot().filter { !$0.key.hasPrefix("cache") }
        let image = try await imageDigest()
        try await build("first", runner: runner, scratch, cache: cache)
        try await build("second", runner: runner, scratch, cache: cache)
        #expect(try await ArtifactContent.read("share/wrote", of: "first", cache: cache) == "", "read-only places were written")
        #expect(try await ArtifactContent.read("share/seen", of: "second", cache: cache) == "")
        #expect(try await imageDigest() == image, "the image changed")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/first-tool") && !FileManager.default.fileExists(atPath: "/etc/first-marker"))
        let checksum = try await sources.sha256("data.txt")
        #expect(try await SourceServer.sha256(of: cache.appendingPathComponent("sources/sha256/\(checksum)")) == checksum)
        #expect(scratch.snapshot().filter { !$0.key.hasPrefix("cache") } == before, "the package directories changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test func bwrapBuildsLeaveTheRootfsAsItWas() async throws {
        let sources = try await SourceServer()
        let scratch = try await Self.tree(sources)
        let (cache, rootfs) = try await PrivateRootfs.cache(in: scratch.directory, packages: scratch.packages)
        let image = try await CLIRunner.run(["image", "build", "--arch", "x86_64", "--runner", "bwrap",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(image.status == 0, "\(image.stderr)")
        try await Self.secondBuildSeesNothingOfTheFirst(runner: "bwrap", cache: cache, scratch, sources: sources) {
            try await PrivateRootfs.digest(rootfs)
        }
        let top = try FileManager.default.contentsOfDirectory(atPath: rootfs.path)
        #expect(!top.contains("pkg") && !top.contains("build"), "mount points or writes were left in the image: \(top)")
    }

    /// The engine image's id: an image that changed would have another.
    static func engineImageID(_ engine: String, _ scratch: ScratchTree) async throws -> String {
        let reference = try await PrivateRootfs.engineReference(packages: scratch.packages)
        let inspect = engine == "podman"
            ? try await CLIRunner.runTool("/usr/bin/podman", BuilderContainer.podmanOptions + ["image", "inspect", "--format", "{{.Id}}", reference],
                                          environment: BuilderContainer.podmanEnvironment)
            : try await CLIRunner.runTool(try #require(CLIRunner.which("docker")), ["image", "inspect", "--format", "{{.Id}}", reference])
        return inspect.stdout
    }

    static func engineBuilds(_ engine: String) async throws {
        let sources = try await SourceServer()
        let scratch = try await Self.tree(sources)
        let cache = try BuilderImages.cache(in: scratch.directory)
        // Makes (imports) the image before its id is taken.
        let image = try await CLIRunner.run(["image", "build", "--arch", "x86_64", "--runner", engine,
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(image.status == 0, "\(image.stderr)")
        try await Self.secondBuildSeesNothingOfTheFirst(runner: engine, cache: cache, scratch, sources: sources) {
            try await Self.engineImageID(engine, scratch)
        }
    }

    @Test func podmanBuildsLeaveTheImageAsItWas() async throws {
        try await Self.engineBuilds("podman")
    }

    @Test(.enabled("the docker engine does not answer `docker info`: scripts/setup.sh starts dockerd") { await EngineAvailability.docker })
    func dockerBuildsLeaveTheImageAsItWas() async throws {
        try await Self.engineBuilds("docker")
    }
}
