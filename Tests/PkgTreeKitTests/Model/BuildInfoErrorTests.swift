import Testing
@testable import PkgTreeKit

/// Every kind of bad buildinfo gets a message that names the file, the package and the field.
@Suite struct BuildInfoErrorTests {
    @Test func malformedJSONReportsLineAndColumn() throws {
        let fixture = try TreeFixture.tree(["broken": "{\n  \"requires\": [\"a\",, \"b\"]\n}"])
        let problem = try #require(fixture.problems().first(mentioning: "not valid JSON"))
        #expect(problem.file?.hasSuffix("broken/buildinfo.json") == true)
        #expect(problem.package == "broken")
        #expect(problem.message.contains("line 2, column 20"))
    }

    @Test func unknownFieldSuggestsTheClosestKnownOne() throws {
        let fixture = try TreeFixture.tree(["app": #"{"require": []}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "require")
        #expect(problem.message.contains("is not a buildinfo field"))
        #expect(problem.hint == "did you mean 'requires'?")
        #expect(problem.file?.hasSuffix("app/buildinfo.json") == true)
    }

    @Test(arguments: [
        (#"{"state_directory": "yes"}"#, "state_directory", "expected true or false, found a string"),
        (#"{"requires": "libc"}"#, "requires", "expected a list of package names, found a string"),
        (#"{"requires": [42]}"#, "requires[0]", "found a number"),
        (#"{"environment": {"A": 1}}"#, "environment.A", "expected a string, found a number"),
        (#"{"sysctl": {"svc": {"vm.x": [1]}}}"#, "sysctl.svc.vm.x", "expected a number or a string"),
        (#"{"cross": 1}"#, "cross", "expected true or false"),
        (#"{"arch": []}"#, "arch", "expected an object"),
        (#"{"arch": {"aarch64": {"docker": 5}}}"#, "arch.aarch64.docker", "expected a string, found a number"),
    ])
    func wrongTypesNameTheField(buildinfo: String, field: String, message: String) throws {
        let fixture = try TreeFixture.tree(["app": buildinfo])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == field)
        #expect(problem.message.contains(message), "\(problem)")
        #expect(problem.package == "app")
    }

    @Test func sourcesAndSingleSourceTogetherAreRejected() throws {
        let fixture = try TreeFixture.tree(["app": """
            {"single_source": {"kind": "git_local", "rel_path": "."},
             "sources": {"b": {"kind": "git_local", "rel_path": "."}}}
            """])
        let problem = try #require(fixture.problems().first(mentioning: "together with 'sources'"))
        #expect(problem.field == "single_source")
    }

    @Test func urlSourceWithoutChecksumIsRejected() throws {
        let fixture = try TreeFixture.tree(["app": #"{"single_source": {"kind": "url", "url": "http://127.0.0.1/x.tgz"}}"#])
        let problem = try #require(fixture.problems().first(mentioning: "has no checksum"))
        #expect(problem.field == "single_source")
        #expect(problem.hint?.contains("sha256") == true)
    }

    @Test func sourceOfUnknownKindSuggestsAKnownKind() throws {
        let fixture = try TreeFixture.tree(["app": #"{"sources": {"s": {"kind": "url_extrct", "url": "u"}}}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "sources.s.kind")
        #expect(problem.hint == "did you mean 'url_extract'?")
    }

    @Test func gitSourceNeedsAFullCommit() throws {
        let fixture = try TreeFixture.tree(["app": #"{"single_source": {"kind": "git", "git": "g", "ref": "main"}}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "single_source.ref")
        #expect(problem.message.contains("not a full commit hash"))
    }

    @Test func legacySha1AndNewSha256AreBothAccepted() throws {
        let fixture = try TreeFixture.tree([
            "old": #"{"single_source": {"kind": "url", "url": "u", "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}"#,
            "new": #"{"single_source": {"kind": "url_extract", "url": "u", "sha256": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}}"#,
        ])
        let plan = try fixture.plan()
        #expect(plan.package(named: "old")?.buildInfo.sources["old"] == .url(url: "u", checksum: .sha1("da39a3ee5e6b4b0d3255bfef95601890afd80709"), extract: false))
        #expect(plan.package(named: "new")?.buildInfo.sources["new"]
                == .url(url: "u", checksum: .sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), extract: true))
    }

    @Test func requiringAPackageIDIsRejected() throws {
        let fixture = try TreeFixture.tree(["app": #"{"requires": ["libc--0123abcd"]}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "requires[0]")
        #expect(problem.message.contains("package id 'libc--0123abcd'"))
        #expect(problem.hint?.contains("'libc'") == true)
    }

    @Test(arguments: ["aarch65", "sparc"])
    func unknownArchitecturesAreRejected(name: String) throws {
        let fixture = try TreeFixture.tree(["app": #"{"architectures": ["\#(name)"], "arch": {"\#(name)": {}}}"#])
        let problems = fixture.problems()
        #expect(problems.contains { $0.field == "architectures[0]" && $0.message.contains("'\(name)' is not a known architecture") })
        #expect(problems.contains { $0.field == "arch.\(name)" })
    }

    @Test func overlayMayNotNestArchitectureFields() throws {
        let fixture = try TreeFixture.tree(["app": #"{"arch": {"arm64": {"architectures": ["arm64"]}}}"#])
        #expect(fixture.problems().first?.field == "arch.arm64.architectures")
    }

    @Test func everyProblemOfTheTreeIsReportedInOneRun() throws {
        let fixture = try TreeFixture.tree([
            "a": #"{"requirez": []}"#,
            "b": "{ not json",
            "c": #"{"cross": "no"}"#,
            "d": #"{"requires": ["a", "missing"]}"#,
            "e": #"{"requires": ["e"]}"#,
        ], extra: ["installer.treeinfo.json": #"{"exclud": []}"#])
        let problems = fixture.problems()
        let files = Set(problems.compactMap(\.file).map { String($0.split(separator: "/").suffix(2).joined(separator: "/")) })
        #expect(files == ["a/buildinfo.json", "b/buildinfo.json", "c/buildinfo.json", "d/buildinfo.json",
                          "e/buildinfo.json", "packages/installer.treeinfo.json"])
        // d's requirement on the broken 'a' is not reported again; the one on 'missing' is.
        #expect(problems.filter { $0.package == "d" }.map(\.message) == ["requires 'missing', which is not a package of \(DisplayPath.of(fixture.root))"])
        #expect(problems.first(mentioning: "cycle")?.message == "dependency cycle: e -> e")
    }
}
