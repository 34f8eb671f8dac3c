import Crypto
import Foundation
import Testing
@testable import PkgTreeKit

/// A `default_builder` recipe's `environment` and `setup`: read from treeinfo.json, resolved
/// as Dockerfile `ENV` lines are, part of the ids of every package built in the image, and
/// refused with the file and field when wrong.
@Suite struct BuilderRecipeTests {
    static let recipe = #"{"default_builder": {"suite": "bookworm", "packages": ["make"], "environment": {"GOPATH": "/pkg", "PATH": "$GOPATH/bin:/usr/local/go/bin:$PATH"}, "setup": ["mkdir -p /pkg/bin"]}}"#

    static func tree(_ treeinfo: String) throws -> TreeFixture {
        try TreeFixture.tree(["app": "{}"], extra: ["treeinfo.json": treeinfo])
    }

    @Test func aRecipeReadsItsEnvironmentAndSetup() throws {
        let plan = try Self.tree(Self.recipe).plan()
        guard case .recipe(let recipe)? = plan.defaultBuilder else { Issue.record("not a recipe: \(String(describing: plan.defaultBuilder))"); return }
        #expect(recipe.environment == ["GOPATH": "/pkg", "PATH": "$GOPATH/bin:/usr/local/go/bin:$PATH"])
        #expect(recipe.setup == ["mkdir -p /pkg/bin"])
        #expect(recipe.resolvedEnvironment == ["GOPATH": "/pkg", "PATH": "/pkg/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    @Test func referencesResolveAsDockerfileENVLinesDo() {
        let resolved = BuilderRecipe(suite: "bookworm", packages: [], environment: [
            "A": "${B}-x", "B": "$C/b", "C": "c", "PRICE": "\\$5 and $NOPE.", "PATH": "/opt/bin:${PATH}", "LONE": "100$",
        ]).resolvedEnvironment
        #expect(resolved["A"] == "c/b-x")
        #expect(resolved["PRICE"] == "$5 and .", "an escaped $ stays, an unknown variable is empty")
        #expect(resolved["PATH"] == "/opt/bin:" + BuilderRecipe.defaultEnvironment["PATH"]!)
        #expect(resolved["LONE"] == "100$")
    }

    @Test func theEnvironmentAndSetupChangeEveryIdButARecipeWithoutThemKeepsItsIds() throws {
        let plain = #"{"default_builder": {"suite": "bookworm", "packages": ["make"]}}"#
        let base = try Self.tree(plain).ids()["app"]
        let withEnvironment = try Self.tree(#"{"default_builder": {"suite": "bookworm", "packages": ["make"], "environment": {"GOPATH": "/pkg"}}}"#).ids()["app"]
        let otherValue = try Self.tree(#"{"default_builder": {"suite": "bookworm", "packages": ["make"], "environment": {"GOPATH": "/go"}}}"#).ids()["app"]
        let withSetup = try Self.tree(#"{"default_builder": {"suite": "bookworm", "packages": ["make"], "setup": ["true"]}}"#).ids()["app"]
        #expect(Set([base, withEnvironment, otherValue, withSetup]).count == 4)
        // The digest of a recipe without environment and setup is what it was before they existed.
        let recipe = BuilderRecipe(suite: "bookworm", packages: ["make"])
        let definition = JSONValue.object(["suite": "bookworm", "packages": .array(["make"]), "arch": "x86_64"])
        #expect(BuilderIdentity.recipe(recipe, arch: .x86_64).digest == SHA256.hash(data: CanonicalJSON.bytes(definition)).hexString)
    }

    @Test func anEnvironmentAloneSharesTheRootFilesystemAndASetupMakesItsOwn() {
        let plain = BuilderRecipe(suite: "bookworm", packages: ["make"])
        var environment = plain
        environment.environment = ["GOPATH": "/pkg"]
        var setup = environment
        setup.setup = ["mkdir -p /pkg"]
        #expect(environment.digest(arch: .aarch64, of: .rootfs) == plain.digest(arch: .aarch64, of: .rootfs))
        #expect(environment.digest(arch: .aarch64, of: .image) != plain.digest(arch: .aarch64, of: .image))
        #expect(setup.digest(arch: .aarch64, of: .rootfs) != environment.digest(arch: .aarch64, of: .rootfs))
        let store = BuilderImageStore(layout: CacheLayout(root: URL(fileURLWithPath: "/cache")))
        #expect(store.recipeDirectory(environment, arch: .aarch64) == store.directory(.recipe(plain, arch: .aarch64), arch: .aarch64))
    }

    @Test(arguments: [
        (#"{"environment": {"PKG_PATH": "/x"}}"#, "default_builder.environment.PKG_PATH", "is set by pkgtree for every build"),
        (#"{"environment": {"NUM_CORES": "9"}}"#, "default_builder.environment.NUM_CORES", "is set by pkgtree for every build"),
        (#"{"environment": {"1X": "y"}}"#, "default_builder.environment.1X", "is not a variable name"),
        (#"{"environment": {"GOPATH": 1}}"#, "default_builder.environment.GOPATH", "expected a string, found a number"),
        (#"{"environment": ["GOPATH=/pkg"]}"#, "default_builder.environment", "expected an object of variable names to strings"),
        (#"{"environment": {"A": "$B", "B": "${A}"}}"#, "default_builder.environment.A", "refers to itself through B"),
        (#"{"setup": "make install"}"#, "default_builder.setup", "expected a list of shell commands, found a string"),
        (#"{"setup": ["true", " "]}"#, "default_builder.setup[1]", "is empty"),
        (#"{"envirnoment": {}}"#, "default_builder.envirnoment", "is not a builder field"),
    ])
    func aBadRecipeNamesTheFileAndField(fields: String, field: String, message: String) throws {
        var object = try #require(try JSONFile.parse(Data(fields.utf8), displayPath: "test").objectValue)
        object["suite"] = "bookworm"
        let treeinfo = String(decoding: CanonicalJSON.bytes(.object(["default_builder": .object(object)])), as: UTF8.self)
        let problems = try Self.tree(treeinfo).problems()
        let problem = try #require(problems.first { $0.field == field }, "\(problems)")
        #expect(problem.message.contains(message), "\(problem)")
        #expect(problem.file?.hasSuffix("packages/treeinfo.json") == true)
    }

    @Test func buildsGetTheImagesEnvironmentUnderPkgpandasVariables() throws {
        let plan = try Self.tree(Self.recipe).plan()
        let app = try #require(plan.package(named: "app"))
        guard case .recipe(let recipe) = try #require(plan.defaultBuilder) else { return }
        let variables = BuildEnvironment.variables(app, plan: plan, cores: 2, builder: ImageConfig.recipe(recipe).environment)
        #expect(variables["GOPATH"] == "/pkg")
        #expect(variables["PATH"] == "/opt/mesosphere/bin:/pkg/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        #expect(variables["HOME"] == "/tmp")
        let image = ["HOME": "/root", "PKG_PATH": "/elsewhere", "LANG": "en_US.UTF-8"]
        let overridden = BuildEnvironment.variables(app, plan: plan, cores: 2, builder: image)
        #expect(overridden["HOME"] == "/root" && overridden["LANG"] == "en_US.UTF-8", "the image's own defaults win over pkgtree's")
        #expect(overridden["PKG_PATH"] == "/opt/mesosphere/packages/\(app.id)", "pkgpanda's variables win over the image's")
        #expect(overridden["PATH"] == "/opt/mesosphere/bin:" + BuilderRecipe.defaultEnvironment["PATH"]!)
    }

    /// The setup script, run by the real sh on this machine (mmdebstrap runs it chrooted into the
    /// new root filesystem): each command sees the recipe's environment and nothing else, starts
    /// in `/`, and the first failure stops the rest and is named.
    @Test func setupCommandsRunInOrderWithTheRecipesEnvironmentAndStopAtTheFirstFailure() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path
        let recipe = BuilderRecipe(suite: "bookworm", packages: [], environment: ["GOPATH": "/pkg", "PATH": "$GOPATH/bin:$PATH"], setup: [
            "cd /tmp && printf '%s\\n' \"$GOPATH $PATH ${OUTSIDE:-unset} $HOME\" > \(out)",
            "pwd >> \(out)",
            "false; echo not reached >> \(out)",
            "echo never >> \(out)",
        ])
        let script = scratch.appendingPathComponent("setup.sh")
        try Data(RecipeSetup.script(recipe).utf8).write(to: script)
        let log = scratch.appendingPathComponent("log")
        let status = try await ToolRunner.run(ToolCommand("/bin/sh", [script.path], environment: ["OUTSIDE": "leaked"]), log: log)
        #expect(status == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "/pkg /pkg/bin:\(BuilderRecipe.defaultEnvironment["PATH"]!) unset /root\n/\n")
        #expect(RecipeSetup.failedCommand(log: log, recipe: recipe) == 2)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("pkgtree: setup command 1: \(recipe.setup[0])\n"), "the log shows each command as written")
    }

    @Test func imageConfigsOfBothEnginesParse() throws {
        let docker = #"{"Hostname":"","Env":["PATH=/x:/usr/bin","GOPATH=/pkg","EMPTY="],"Cmd":null,"Entrypoint":["/bin/bash","-o","errexit"],"WorkingDir":"","Labels":null}"#
        let config = ImageConfig.parse(try JSONFile.parse(Data(docker.utf8), displayPath: "docker"))
        #expect(config == ImageConfig(environment: ["PATH": "/x:/usr/bin", "GOPATH": "/pkg", "EMPTY": ""], entrypoint: ["/bin/bash", "-o", "errexit"]))
        let podman = #"{"Env":["PATH=/usr/bin"],"WorkingDir":"/work","Labels":{"io.buildah.version":"1.28.2"}}"#
        let other = ImageConfig.parse(try JSONFile.parse(Data(podman.utf8), displayPath: "podman"))
        #expect(other == ImageConfig(environment: ["PATH": "/usr/bin"], workingDirectory: "/work"))
        #expect(ImageConfig.parse(config.json) == config && ImageConfig.parse(other.json) == other)
    }
}
