import Testing
@testable import PkgTreeKit

/// The build script the plan runs, one rule at a time.
@Suite struct BuildScriptLintTests {
    static func lint(_ script: String, buildinfo: String = "{}", arch: Architecture = .aarch64) throws -> [LintFinding] {
        try TreeFixture(["app/buildinfo.json": buildinfo, "app/build": script]).findings(arch)
    }

    @Test func aForeignNameIsReportedWithItsVariable() throws {
        let findings = try Self.lint("#!/bin/bash\nexport GOARCH=amd64\n")
        #expect(findings.summary == ["arch-name app/build:2 amd64"])
        let finding = try #require(findings.first)
        #expect(finding.column == 15)
        #expect(finding.package == "app")
        #expect(finding.sourceLine == "export GOARCH=amd64")
        #expect(finding.message.contains("x86_64"))
        #expect(finding.suggestion.contains("$PKG_GOARCH (arm64 on aarch64)"))
    }

    @Test func eachKindOfMentionHasItsRule() throws {
        let script = """
            cc -msse4.2 -o x x.c
            cp /usr/lib/x86_64-linux-gnu/libz.so .
            patchelf --set-interpreter /lib64/ld-linux-x86-64.so.2 x
            echo x86_64
            """
        let findings = try Self.lint(script)
        #expect(findings.summary == [
            "arch-flag app/build:1 -msse4.2", "arch-triplet app/build:2 x86_64-linux-gnu",
            "arch-loader app/build:3 /lib64/ld-linux-x86-64.so.2", "arch-name app/build:4 x86_64",
        ])
        #expect(findings[1].suggestion.contains("$PKG_TRIPLET"))
        #expect(findings[2].message.contains("/lib/ld-linux-aarch64.so.1"))
        #expect(findings[3].suggestion.contains("$PKG_ARCH"))
    }

    @Test func theOtherDirectionIsCheckedToo() throws {
        let findings = try Self.lint("cc -mcpu=neoverse-n1 x.c\nCC=aarch64-linux-gnu-gcc\n", arch: .x86_64)
        #expect(findings.summary == ["arch-flag app/build:1 -mcpu=neoverse-n1", "arch-triplet app/build:2 aarch64-linux-gnu"])
    }

    @Test func commentsAreCheckedButArchBranchesAreNot() throws {
        let script = """
            # downloads the amd64 tarball
            case "$PKG_ARCH" in
              x86_64) CFLAGS=-mavx2 ;;
            esac
            """
        #expect(try Self.lint(script).summary == ["arch-name app/build:1 amd64"])
    }

    @Test func theTargetsOwnNamesAreFine() throws {
        #expect(try Self.lint("GOARCH=arm64 CC=aarch64-linux-gnu-gcc make\n").isEmpty)
        #expect(try Self.lint("GOARCH=amd64 make\n", arch: .x86_64).isEmpty)
    }

    @Test func theScriptThePlanRunsIsTheOneRead() throws {
        let fixture = try TreeFixture([
            "app/buildinfo.json": #"{"arch": {"aarch64": {"build_script": "build-arm.sh"}}}"#,
            "app/build": "echo amd64\n", "app/build-arm.sh": "echo i686\n",
            "tool/buildinfo.json": "{}", "tool/fast.buildinfo.json": "{}",
            "tool/build": "echo amd64\n", "tool/fast.build": "echo x64\n",
            "treeinfo.json": #"{"variants": {"tool": "fast"}}"#,
        ])
        #expect(try fixture.findings(.aarch64).summary == ["arch-name app/build-arm.sh:1 i686", "arch-name tool/fast.build:1 x64"])
        #expect(try fixture.findings(.x86_64).isEmpty)
    }

    @Test func aCrossBuildIsToldAboutPkgBuildArch() throws {
        let findings = try Self.lint("echo x86_64\n", buildinfo: #"{"arch": {"aarch64": {"cross": true}}}"#)
        #expect(try #require(findings.first).suggestion.contains("$PKG_BUILD_ARCH"))
    }

    @Test func packagesUnsupportedOnTheTargetAreNotLinted() throws {
        #expect(try Self.lint("echo amd64\n", buildinfo: #"{"architectures": ["x86_64"]}"#).isEmpty)
    }
}
