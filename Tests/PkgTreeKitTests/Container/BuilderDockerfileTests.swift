import Foundation
import Testing
@testable import PkgTreeKit

/// `default_builder.docker_directory`: a Dockerfile directory of the tree, checked when the
/// tree loads and hashed into every id; bwrap runs its image with the config an engine would.
@Suite struct BuilderDockerfileTests {
    static let dockerfile = "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\nENV GOPATH /pkg\nRUN mkdir -p /pkg/bin\n"

    static func tree(_ treeinfo: String = #"{"default_builder": {"docker_directory": "docker/dcos-builder"}}"#,
                     dockerfile: String? = BuilderDockerfileTests.dockerfile) throws -> TreeFixture {
        var extra = ["treeinfo.json": treeinfo]
        if let dockerfile { extra["docker/dcos-builder/Dockerfile"] = dockerfile }
        return try TreeFixture.tree(["app": "{}"], extra: extra)
    }

    @Test func theDirectoryIsTheDefaultBuilderAndNoPackage() throws {
        let fixture = try Self.tree()
        let plan = try fixture.plan(.aarch64)
        #expect(plan.packages.map(\.name) == ["app"])
        let app = try #require(plan.package(named: "app"))
        guard case .dockerfile(let dockerfile, let arch) = app.builder else { Issue.record("\(app.builder)"); return }
        #expect(arch == .aarch64 && dockerfile.path == "docker/dcos-builder" && dockerfile.base == nil)
        #expect(dockerfile.baseRecipe(for: .aarch64) == .builtInDefault(for: .aarch64))
        #expect(app.builder == plan.defaultBuilderIdentity(for: .aarch64))
        #expect(app.builder.json.objectValue?["base"]?.stringValue == BuilderIdentity.recipe(.builtInDefault(for: .aarch64), arch: .aarch64).digest)
    }

    @Test func theDockerfileAndTheBaseRecipeAreInEveryIdButNotWhereTheTreeIs() throws {
        let fixture = try Self.tree()
        let before = try fixture.ids()
        let moved = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-moved-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture.root.deletingLastPathComponent(), to: moved)
        #expect(try TreeFixture.plan(at: moved.appendingPathComponent("packages")).packages.map(\.id) == [before["app"]!])
        try fixture.write("docker/dcos-builder/Dockerfile", Self.dockerfile + "RUN true\n")
        let changed = try fixture.ids()
        #expect(changed["app"] != before["app"])
        try fixture.write("treeinfo.json", #"{"default_builder": {"docker_directory": "docker/dcos-builder", "suite": "bookworm", "packages": ["make"]}}"#)
        #expect(try fixture.ids()["app"] != changed["app"])
        // A package's own docker/ builds FROM the default builder too: a new one is a new id.
        try fixture.write("app/docker/Dockerfile", "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\n")
        let own = try fixture.ids()["app"]
        try fixture.write("docker/dcos-builder/Dockerfile", Self.dockerfile)
        #expect(try fixture.ids()["app"] != own)
    }

    @Test(arguments: [
        ("/opt/docker/dcos-builder", "must be a directory of the tree, relative to it"),
        ("../outside", "must be a directory of the tree, relative to it"),
        ("docker/missing", "is not a directory"),
    ])
    func aDirectoryOutsideTheTreeOrMissingIsRefused(path: String, message: String) throws {
        let problems = try Self.tree(#"{"default_builder": {"docker_directory": "\#(path)"}}"#).problems()
        let problem = try #require(problems.first, "no problem for \(path)")
        #expect(problem.field == "default_builder.docker_directory" && problem.message.contains(message), "\(problem)")
        #expect(problem.file?.hasSuffix("packages/treeinfo.json") == true)
    }

    @Test func aDirectoryLinkedOutOfTheTreeOrWithoutADockerfileIsRefused() throws {
        let fixture = try Self.tree(dockerfile: nil)
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("docker/dcos-builder"), withIntermediateDirectories: true)
        #expect(fixture.problems().first?.message.contains("has no readable Dockerfile") == true)
        let outside = fixture.root.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data(Self.dockerfile.utf8).write(to: outside.appendingPathComponent("Dockerfile"))
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("docker/dcos-builder"))
        try FileManager.default.createSymbolicLink(at: fixture.root.appendingPathComponent("docker/dcos-builder"), withDestinationURL: outside)
        let problem = try #require(fixture.problems().first)
        #expect(problem.message.contains("leads outside the tree"), "\(problem)")
    }

    @Test(arguments: [
        ("FROM ubuntu:16.04\nRUN apt-get update\n", "FROM (line 1)", "starts from 'ubuntu:16.04'"),
        ("# the builder\n\nFROM ${PKGTREE_BUILDER}\n", "FROM (line 3)", "which no ARG declares before it"),
        ("ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER} AS tools\nFROM \\\n  golang:1.11\n", "FROM (line 3)", "starts from 'golang:1.11'"),
        ("ARG PKGTREE_BUILDER\nRUN true\n", "FROM", "has no FROM line"),
    ])
    func aDockerfileNotBuiltOnTheRecipesImageIsRefused(text: String, field: String, message: String) throws {
        let problem = try #require(try Self.tree(dockerfile: text).problems().first)
        #expect(problem.field == field && problem.message.contains(message), "\(problem)")
        #expect(problem.file?.hasSuffix("packages/docker/dcos-builder/Dockerfile") == true)
        #expect(problem.hint != nil)
    }

    @Test func stagesMayStartFromEarlierStages() throws {
        let text = "ARG PKGTREE_BUILDER=unused\nFROM --platform=$TARGETPLATFORM $PKGTREE_BUILDER AS tools\nRUN true\nFROM tools\n"
        #expect(try Self.tree(dockerfile: text).problems().isEmpty)
    }

    @Test func recipeFieldsBesideTheDirectoryNeedASuite() throws {
        let problems = try Self.tree(#"{"default_builder": {"docker_directory": "docker/dcos-builder", "packages": ["make"]}}"#).problems()
        #expect(problems.map(\.field) == ["default_builder.suite"])
    }

    @Test func bwrapRunsTheScriptThroughTheImagesEntrypointInItsWorkingDirectory() {
        var invocation = RunnerCommandTests.invocation
        invocation.image.config = ImageConfig(entrypoint: ["/bin/bash", "-o", "errexit"], workingDirectory: "/work")
        let arguments = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").runCommand(invocation).arguments
        let chdir = try? #require(arguments.firstIndex(of: "--chdir"))
        #expect(chdir.map { Array(arguments[$0...]) } == ["--chdir", "/work", "--", "/bin/bash", "-o", "errexit"] + invocation.command)
    }

    @Test func bwrapWithoutAnEngineCannotMakeTheDockerfileImage() async throws {
        let plan = try Self.tree().plan()
        let builder = plan.defaultBuilderIdentity(for: .x86_64)
        let bare = Runner.bwrap(BwrapRunner(tool: .init(), imageEngine: nil))
        #expect(try await bare.unusable(builder)?.message.contains("bwrap builds the tree's Dockerfile builder with podman or docker") == true)
        let withEngine = Runner.bwrap(BwrapRunner(tool: .init(), imageEngine: EngineRunner(kind: .podman, tool: .init())))
        #expect(try await withEngine.unusable(builder) == nil)
    }
}
