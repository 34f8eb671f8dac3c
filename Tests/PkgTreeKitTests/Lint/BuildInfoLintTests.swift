import Foundation
import Testing
@testable import PkgTreeKit

/// The buildinfo after the target's `arch` overlay: downloads, builder images and other
/// values, pointed at the line where they were written.
@Suite struct BuildInfoLintTests {
    static let zeros = String(repeating: "0", count: 64), ones = String(repeating: "1", count: 64)

    static func lint(_ buildinfo: String, arch: Architecture = .aarch64, extra: [String: String] = [:]) throws -> [LintFinding] {
        var files = extra
        files["app/buildinfo.json"] = buildinfo
        files["app/build"] = "make\n"
        return try TreeFixture(files).findings(arch)
    }

    @Test func aDownloadNamingAnotherArchitectureSuggestsAnOverlayWithTheTargetsURL() throws {
        let buildinfo = """
            {
              "single_source": {
                "kind": "url_extract",
                "url": "https://example.invalid/foo-1.0-linux-amd64.tar.gz",
                "sha256": "\(Self.zeros)"
              }
            }
            """
        let findings = try Self.lint(buildinfo)
        #expect(findings.summary == ["download-arch app/buildinfo.json:4 amd64"])
        let finding = try #require(findings.first)
        #expect(finding.field == "single_source.url")
        #expect(finding.column == 51)  // the quote is at 12, "amd64" the 39th character of the URL
        #expect(finding.suggestion.contains(#""arch": {"aarch64": {"single_source": {"sha256": "<sha256 of the aarch64 download>", "url": "https://example.invalid/foo-1.0-linux-arm64.tar.gz"}}}"#))
        #expect(try Self.lint(buildinfo, arch: .x86_64).isEmpty)
    }

    @Test func anOverlayThatReplacesTheDownloadIsClean() throws {
        let buildinfo = #"""
            {"sources": {"foo": {"kind": "url", "url": "https://example.invalid/foo-amd64", "sha256": "\#(Self.zeros)"}},
             "arch": {"arm64": {"sources": {"foo": {"url": "https://example.invalid/foo-arm64", "sha256": "\#(Self.ones)"}}}}}
            """#
        #expect(try Self.lint(buildinfo).isEmpty)
        #expect(try Self.lint(buildinfo, arch: .x86_64).isEmpty)
        #expect(try Self.lint(buildinfo, arch: .riscv64).summary == ["download-arch app/buildinfo.json:1 amd64"])
    }

    @Test func aForeignValueInTheTargetsOwnOverlayPointsThere() throws {
        let buildinfo = """
            {
              "environment": {"CC": "cc"},
              "arch": {
                "arm64": {"environment": {"CC": "x86_64-linux-gnu-gcc"}}
              }
            }
            """
        let finding = try #require(try Self.lint(buildinfo).first)
        #expect(finding.rule == .archTriplet)
        #expect(finding.line == 4)
        #expect(finding.field == "arch.arm64.environment.CC")
        #expect(finding.suggestion.contains(#""arch": {"aarch64": {"environment": {"CC": "aarch64-linux-gnu-gcc"}}}"#))
    }

    @Test func aCopiedChecksumIsReportedForTheArchitectureWhoseOverlayChangedTheURL() throws {
        let buildinfo = #"""
            {
              "sources": {"tool": {"kind": "url", "url": "https://example.invalid/tool-1.0.tar.gz", "sha256": "\#(Self.zeros)"}},
              "arch": {"aarch64": {"sources": {"tool": {"url": "https://example.invalid/tool-1.0-arm64.tar.gz"}}}}
            }
            """#
        let findings = try Self.lint(buildinfo)
        #expect(findings.summary == ["download-checksum app/buildinfo.json:2 \(Self.zeros)"])
        #expect(findings[0].message.contains("same sha256 as the x86_64 download"))
        #expect(try Self.lint(buildinfo, arch: .x86_64).isEmpty)
    }

    @Test func aValueOtherArchitecturesOverrideIsReportedWhereTheTargetDoesNot() throws {
        let buildinfo = #"""
            {
              "docker": "example/builder:1.0",
              "sources": {"tool": {"kind": "url", "url": "https://example.invalid/tool-1.0.tar.gz", "sha256": "\#(Self.zeros)"}},
              "arch": {"aarch64": {"docker": "example/builder-arm:1.0",
                                   "sources": {"tool": {"url": "https://example.invalid/tool-1.0-arm.tar.gz", "sha256": "\#(Self.ones)"}}}}
            }
            """#
        let findings = try Self.lint(buildinfo, arch: .riscv64)
        #expect(findings.summary == ["overlay-missing app/buildinfo.json:2 example/builder:1.0",
                                     "overlay-missing app/buildinfo.json:3 https://example.invalid/tool-1.0.tar.gz"])
        #expect(findings[0].suggestion.contains(#""arch": {"riscv64": {"docker": "…"}}"#))
        // The base is the x86_64 build; aarch64 has its own values.
        #expect(try Self.lint(buildinfo, arch: .x86_64).isEmpty)
        #expect(try Self.lint(buildinfo).isEmpty)
    }

    @Test func aBuilderImageForAnotherArchitectureSuggestsTheMultiArchitectureName() throws {
        let findings = try Self.lint(#"{"docker": "amd64/golang:1.22@sha256:\#(Self.zeros)"}"#)
        #expect(findings.map(\.rule) == [.builderImage])
        #expect(findings[0].suggestion.contains("'golang:1.22@sha256:"))
        #expect(try Self.lint(#"{"docker": "example/builder:1.0-arm64"}"#, arch: .x86_64).map(\.rule) == [.builderImage])
    }

    @Test func aCrossBuildsImageIsCheckedAgainstTheHostItRunsOn() throws {
        #expect(try Self.lint(#"{"docker": "amd64/debian:bookworm", "cross": true}"#).isEmpty)
        #expect(try Self.lint(#"{"docker": "amd64/debian:bookworm"}"#).map(\.rule) == [.builderImage])
    }

    @Test func checksumsCommitsArchitecturesAndNamesAreNotRead() throws {
        let buildinfo = #"""
            {"architectures": ["x86_64", "aarch64"], "requires": [],
             "single_source": {"kind": "git", "git": "https://example.invalid/repo.git",
                               "ref": "\#(String(repeating: "a", count: 40))", "ref_origin": "main"}}
            """#
        #expect(try Self.lint(buildinfo).isEmpty)
    }

    @Test func theDefaultBuilderOfTheTreeVariantIsChecked() throws {
        let fixture = try TreeFixture.tree(["app": "{}"], extra: [
            "treeinfo.json": "{\n  \"default_builder\": \"arm64v8/debian:bookworm\"\n}",
        ])
        let finding = try #require(try fixture.findings(.x86_64).first)
        #expect(finding.rule == .builderImage)
        #expect(finding.line == 2)
        #expect(finding.field == "default_builder")
        #expect(finding.suggestion.contains("'debian:bookworm'"))
        #expect(try fixture.findings(.aarch64).isEmpty)
    }

    @Test func lineIndexFollowsNestedObjectsArraysAndEscapes() throws {
        let text = "{\n \"a\": [1, {\"b\\\"c\": \"x\"}],\n \"d\": {\"e\": null}\n}"
        let index = JSONLineIndex(Data(text.utf8))
        #expect(index.position(of: ["a", "[1]", "b\"c"]) == .init(line: 2, column: 20))
        #expect(index.position(of: ["d", "e"])?.line == 3)
    }
}
