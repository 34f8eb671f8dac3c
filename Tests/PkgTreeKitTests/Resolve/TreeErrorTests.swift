import Testing
@testable import PkgTreeKit

/// Problems that only show when packages are put together: requirements, cycles, variants,
/// names and the treeinfo rules.
@Suite struct TreeErrorTests {
    @Test func missingRequirementNamesWhoRequiresIt() throws {
        let fixture = try TreeFixture.tree(["libgreet": "{}", "hello": #"{"requires": ["libgret"]}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.package == "hello")
        #expect(problem.field == "requires")
        #expect(problem.file?.hasSuffix("hello/buildinfo.json") == true)
        #expect(problem.message.contains("requires 'libgret', which is not a package"))
        #expect(problem.hint == "did you mean 'libgreet'?")
    }

    @Test func aCycleIsPrintedWhole() throws {
        let fixture = try TreeFixture.tree([
            "a": #"{"requires": ["b"]}"#, "b": #"{"requires": ["c"]}"#, "c": #"{"requires": ["a"]}"#, "d": "{}",
        ])
        let problems = fixture.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.message == "dependency cycle: a -> b -> c -> a")
        #expect(problems.first?.field == "requires")
    }

    @Test func aPackageRequiringItselfIsACycle() throws {
        let fixture = try TreeFixture.tree(["a": #"{"requires": ["a"]}"#])
        #expect(fixture.problems().first?.message == "dependency cycle: a -> a")
    }

    @Test func twoVariantsOfOnePackageInOneClosureAreRejected() throws {
        var files = TreeFixture.package(#"{"requires": [{"name": "config", "variant": "installer"}]}"#)
            .reduce(into: [String: String]()) { $0["app/\($1.key)"] = $1.value }
        files["config/buildinfo.json"] = "{}"
        files["config/build"] = "echo default"
        files["config/installer.buildinfo.json"] = "{}"
        let problem = try #require(try TreeFixture(files).problems().first)
        #expect(problem.package == "app")
        #expect(problem.message.contains("requires variant 'installer' of 'config', but this tree variant uses variant <default>"))
    }

    @Test func requiringAVariantThatDoesNotExistIsRejected() throws {
        let fixture = try TreeFixture.tree(["config": "{}", "app": #"{"requires": [{"name": "config", "variant": "fips"}]}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.message.contains("variant 'fips' of 'config', which has no such variant"))
    }

    @Test(arguments: ["-lead", ".hidden", "two--dashes", "sp ace", "slash\\x"])
    func invalidPackageNamesAreRejected(name: String) throws {
        let fixture = try TreeFixture.tree([name: "{}"])
        let problem = try #require(fixture.problems().first)
        #expect(problem.package == name)
        #expect(problem.message.contains("invalid package name"))
    }

    @Test func invalidVariantFileNamesAreRejected() throws {
        let fixture = try TreeFixture(["app/.buildinfo.json": "{}", "app/build": "", "app/xbuildinfo.json": "{}"])
        let messages = fixture.problems().map(\.message)
        #expect(messages.contains { $0.contains("must be named just 'buildinfo.json'") })
        #expect(messages.contains { $0.contains("must be named '<variant>.buildinfo.json'") })
    }

    @Test func excludedAndListedIsAnError() throws {
        let fixture = try TreeFixture.tree(["a": "{}"], extra: [
            "treeinfo.json": #"{"exclude": ["a"], "core_package_list": ["a"]}"#,
        ])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "core_package_list")
        #expect(problem.message.contains("both excluded and listed"))
    }

    @Test func requiringAnExcludedPackageIsAnError() throws {
        let fixture = try TreeFixture.tree(["a": #"{"requires": ["b"]}"#, "b": "{}"], extra: [
            "treeinfo.json": #"{"exclude": ["b"]}"#,
        ])
        let problem = try #require(fixture.problems().first)
        #expect(problem.package == "b")
        #expect(problem.message.contains("is required by 'a' but is excluded"))
    }

    @Test func bootstrapPackagesMustBeInTheTreeVariant() throws {
        let fixture = try TreeFixture.tree(["a": "{}", "b": "{}"], extra: [
            "treeinfo.json": #"{"core_package_list": ["a"], "bootstrap_package_list": ["b"]}"#,
        ])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "bootstrap_package_list")
        #expect(problem.package == "b")
    }

    @Test func unknownTreeInfoFieldsAreRejected() throws {
        let fixture = try TreeFixture.tree(["a": "{}"], extra: ["treeinfo.json": #"{"core_packages": ["a"]}"#])
        #expect(fixture.problems().first(mentioning: "is not a treeinfo field")?.hint == "did you mean 'core_package_list'?")
    }

    @Test func treeInfoVariantsMustExist() throws {
        let fixture = try TreeFixture.tree(["a": "{}"], extra: ["treeinfo.json": #"{"variants": {"a": "nope", "ghost": null}}"#])
        let problems = fixture.problems()
        #expect(problems.first(mentioning: "has no variant 'nope'")?.field == "variants.a")
        #expect(problems.first(mentioning: "'ghost' is not a package")?.field == "variants.ghost")
    }

    @Test func unknownTreeVariantListsTheKnownOnes() throws {
        let fixture = try TreeFixture.tree(["a": "{}"], extra: ["installer.treeinfo.json": "{}"])
        let problem = try #require(fixture.problems(variant: "instaler").first)
        #expect(problem.field == "--variant")
        #expect(problem.hint == "did you mean 'installer'?")
    }

    @Test func unknownPackageOnTheCommandLineNamesTheArgument() throws {
        let fixture = try TreeFixture.tree(["hello": "{}"])
        let problem = try #require(fixture.problems(packages: ["helo"]).first)
        #expect(problem.file == nil)
        #expect(problem.field == "PKG argument")
        #expect(problem.hint == "did you mean 'hello'?")
    }

    @Test func aPackageOutsideTheTreeVariantIsRejectedOnTheCommandLine() throws {
        let fixture = try TreeFixture.tree(["a": "{}", "b": "{}"], extra: ["treeinfo.json": #"{"exclude": ["b"]}"#])
        #expect(fixture.problems(packages: ["b"]).contains { $0.package == "b" && $0.message.contains("excluded") || $0.message.contains("not part of this tree variant") })
    }

    @Test func missingBuildScriptIsReported() throws {
        let fixture = try TreeFixture(["a/buildinfo.json": #"{"build_script": "make.sh"}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "build_script")
        #expect(problem.message.contains("make.sh does not exist"))
    }

    @Test func missingGitLocalDirectoryIsReported() throws {
        let fixture = try TreeFixture.tree(["a": #"{"single_source": {"kind": "git_local", "rel_path": "src"}}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "sources.a.rel_path")
        #expect(problem.message.contains("does not exist"))
    }
}
