import Testing
@testable import PkgTreeKit

/// Silencing a finding on purpose: a comment in scripts and Docker files, a field in JSON.
@Suite struct LintSuppressionTests {
    static func lint(_ script: String) throws -> [LintFinding] {
        try TreeFixture(["app/buildinfo.json": "{}", "app/build": script]).findings(.aarch64)
    }

    @Test func aMarkerSilencesItsOwnLine() throws {
        #expect(try Self.lint("GOARCH=amd64 make  # pkgtree-lint: ignore[arch-name] prebuilt helper\necho amd64\n").summary
                == ["arch-name app/build:2 amd64"])
    }

    @Test func aMarkerOnItsOwnLineSilencesTheNextOne() throws {
        #expect(try Self.lint("# pkgtree-lint: ignore[arch-flag] only for the x86 helper\ncc -mavx2 -o x x.c\ncc -mavx2 -o y y.c\n").summary
                == ["arch-flag app/build:3 -mavx2"])
    }

    @Test func aMarkerAboveACommentBlockSilencesTheBlockAndTheLineAfter() throws {
        let script = """
            # pkgtree-lint: ignore[arch-name]
            # On x86_64 this package uses the amd64 build,
            # which is why aarch64 needs the overlay.
            echo i686
            echo i686
            """
        #expect(try Self.lint(script).summary == ["arch-name app/build:5 i686"])
    }

    @Test func aMarkerSilencesOnlyTheRulesItNames() throws {
        #expect(try Self.lint("cc -mavx2 -o amd64 x.c # pkgtree-lint: ignore[arch-flag]\n").summary
                == ["arch-name app/build:1 amd64"])
        #expect(try Self.lint("cc -mavx2 -o amd64 x.c # pkgtree-lint: ignore[arch-flag, arch-name]\n").isEmpty)
    }

    @Test(arguments: ["# pkgtree-lint: ignore", "# pkgtree-lint: ignore[all] a reason"])
    func ignoreWithoutRulesSilencesEveryRule(marker: String) throws {
        #expect(try Self.lint("\(marker)\ncc -mavx2 -o amd64 x.c\n").isEmpty)
    }

    @Test func aMarkerNamingNoRuleIsItselfAFinding() throws {
        let findings = try Self.lint("echo amd64 # pkgtree-lint: ignore[arch-nme]\n")
        #expect(findings.summary == ["arch-name app/build:1 amd64", "unknown-rule app/build:1 arch-nme"])
        #expect(findings[1].suggestion == "did you mean 'arch-name'?")
    }

    @Test func aMarkerOutsideACommentDoesNothing() throws {
        #expect(try Self.lint("echo 'pkgtree-lint: ignore' amd64\n").summary == ["arch-name app/build:1 amd64"])
    }

    @Test func theBuildinfoFieldSilencesBuildinfoFindingsOnly() throws {
        let buildinfo = #"""
            {
              "environment": {"GOARCH": "amd64"},
              "single_source": {"kind": "url", "url": "https://example.invalid/t-amd64.tgz", "sha256": "\#(String(repeating: "a", count: 64))"},
              "pkgtree_lint": {"ignore": ["download-arch"], "reason": "the tool is arch-independent despite its name"}
            }
            """#
        let findings = try TreeFixture(["app/buildinfo.json": buildinfo, "app/build": "echo amd64\n"]).findings(.aarch64)
        #expect(findings.summary == ["arch-name app/build:1 amd64", "arch-name app/buildinfo.json:2 amd64"])
    }

    @Test func theTreeinfoFieldSilencesTheDefaultBuilder() throws {
        let loud = try TreeFixture.tree(["app": "{}"], extra: ["treeinfo.json": #"{"default_builder": "amd64/debian:bookworm"}"#])
        #expect(try loud.findings(.aarch64).summary == ["builder-image treeinfo.json:1 amd64/debian:bookworm"])
        let quiet = try TreeFixture.tree(["app": "{}"], extra: [
            "treeinfo.json": #"{"default_builder": "amd64/debian:bookworm", "pkgtree_lint": {"ignore": ["builder-image"]}}"#,
        ])
        #expect(try quiet.findings(.aarch64).isEmpty)
    }
}
