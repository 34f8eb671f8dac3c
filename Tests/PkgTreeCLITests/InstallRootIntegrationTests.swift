import Foundation
import Testing
import RegistryTestSupport

/// The install root of a build with more dependencies than one overlay mount's options hold
/// (bwrap stacks them by the dozen): it shows exactly the build's closure, activated, and no
/// other package the cache has unpacked.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct InstallRootIntegrationTests {
    static let count = 100

    /// `d000`…`d099`, each with a file and an environment variable; `top` requires them all;
    /// `sibling` is unpacked by `other`'s build but is no dependency of `top`.
    static func tree() throws -> ScratchTree {
        var files: [String: String] = [
            "top/buildinfo.json": #"{"requires": [\#((0..<count).map { String(format: "\"d%03d\"", $0) }.joined(separator: ", "))]}"#,
            "top/build": """
                mkdir -p "$PKG_PATH/share"
                ls /opt/mesosphere/packages > "$PKG_PATH/share/packages"
                ls /opt/mesosphere/active > "$PKG_PATH/share/active"
                cat /opt/mesosphere/active/d042/share/name > "$PKG_PATH/share/d042"
                . /opt/mesosphere/environment
                echo "$D099_NAME" > "$PKG_PATH/share/environment"

                """,
            "sibling/buildinfo.json": "{}", "sibling/build": "mkdir -p \"$PKG_PATH\"\n",
            "other/buildinfo.json": #"{"requires": ["sibling"]}"#, "other/build": "mkdir -p \"$PKG_PATH\"\n",
        ]
        for index in 0..<count {
            let name = String(format: "d%03d", index)
            files["\(name)/buildinfo.json"] = #"{"environment": {"\#(name.uppercased())_NAME": "\#(name)"}}"#
            files["\(name)/build"] = "mkdir -p \"$PKG_PATH/share\"\necho \(name) > \"$PKG_PATH/share/name\"\n"
        }
        return try ScratchTree(files)
    }

    static func seesExactlyItsClosure(runner: String) async throws {
        let scratch = try tree()
        let cache = try BuilderImages.cache(in: scratch.directory)
        for target in ["other", "top"] {
            let build = try await CLIRunner.run(["build", target, "--arch", "x86_64", "--runner", runner, "-j", "2",
                                                 "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        }
        let packages = try await ArtifactContent.read("share/packages", of: "top", cache: cache).split(separator: "\n")
        #expect(packages.count == Self.count + 1, "every dependency and the output's mount point")
        #expect(packages.filter { $0.hasPrefix("d") }.count == Self.count && packages.contains { $0.hasPrefix("top--") })
        #expect(!packages.contains { $0.hasPrefix("sibling--") }, "a package outside the closure is visible")
        let active = try await ArtifactContent.read("share/active", of: "top", cache: cache)
        #expect(active == (0..<Self.count).map { String(format: "d%03d\n", $0) }.joined())
        #expect(try await ArtifactContent.read("share/d042", of: "top", cache: cache) == "d042\n")
        #expect(try await ArtifactContent.read("share/environment", of: "top", cache: cache) == "d099\n")
    }

    @Test(arguments: ["bwrap", "podman"])
    func aBuildWithAHundredDependenciesSeesExactlyItsClosure(runner: String) async throws {
        try await Self.seesExactlyItsClosure(runner: runner)
    }
}
