import Testing
@testable import PkgTreeKit

/// The `pkgtree_lint` field of buildinfo and treeinfo files: read and checked like any other
/// field, and never part of a package id.
@Suite struct LintSettingsTests {
    @Test func theFieldIsReadWithItsReason() throws {
        let fixture = try TreeFixture.tree([
            "app": #"{"pkgtree_lint": {"ignore": ["download-arch", "arch-name"], "reason": "x86-only mirror"}}"#,
        ])
        let info = try #require(try fixture.plan().package(named: "app")).buildInfo
        #expect(info.lint.ignore == ["download-arch", "arch-name"])
        #expect(info.lint.reason == "x86-only mirror")
        #expect(info.lint.ignores(.downloadArch))
        #expect(!info.lint.ignores(.builderImage))
    }

    @Test func anArchOverlayCanSetItForOneArchitecture() throws {
        let fixture = try TreeFixture.tree([
            "app": #"{"arch": {"arm64": {"pkgtree_lint": {"ignore": ["all"]}}}}"#,
        ])
        #expect(try #require(try fixture.plan(.aarch64).package(named: "app")).buildInfo.lint.ignores(.archFlag))
        #expect(try #require(try fixture.plan(.x86_64).package(named: "app")).buildInfo.lint.ignore.isEmpty)
    }

    @Test func silencingFindingsChangesNoID() throws {
        let plain = try TreeFixture.tree(["app": #"{"environment": {"A": "b"}}"#])
        let silenced = try TreeFixture.tree([
            "app": #"{"environment": {"A": "b"}, "pkgtree_lint": {"ignore": ["arch-name"], "reason": "why"}, "arch": {"aarch64": {"pkgtree_lint": {"ignore": ["all"]}}}}"#,
        ], extra: ["treeinfo.json": #"{"pkgtree_lint": {"ignore": ["builder-image"]}}"#])
        for arch in [Architecture.x86_64, .aarch64] {
            #expect(try plain.ids(arch) == silenced.ids(arch))
        }
    }

    @Test(arguments: [
        (#"{"pkgtree_lint": {"ignore": ["arch-nam"]}}"#, "pkgtree_lint.ignore[0]", "did you mean 'arch-name'?"),
        (#"{"pkgtree_lint": {"ignore": "arch-name"}}"#, "pkgtree_lint.ignore", nil),
        (#"{"pkgtree_lint": {"ignores": []}}"#, "pkgtree_lint.ignores", "did you mean 'ignore'?"),
        (#"{"pkgtree_lint": ["arch-name"]}"#, "pkgtree_lint", nil),
        (#"{"pkgtree_lnt": {}}"#, "pkgtree_lnt", "did you mean 'pkgtree_lint'?"),
    ] as [(String, String, String?)])
    func aWrongFieldNamesItsPathAndSuggests(buildinfo: String, field: String, hint: String?) throws {
        let problem = try #require(try TreeFixture.tree(["app": buildinfo]).problems().first)
        #expect(problem.field == field)
        #expect(problem.package == "app")
        if let hint { #expect(problem.hint == hint) }
    }

    @Test func aWrongRuleInTreeinfoIsReported() throws {
        let fixture = try TreeFixture.tree(["app": "{}"], extra: ["treeinfo.json": #"{"pkgtree_lint": {"ignore": ["builder-imag"]}}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "pkgtree_lint.ignore[0]")
        #expect(problem.hint == "did you mean 'builder-image'?")
    }
}
