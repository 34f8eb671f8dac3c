import Foundation
import Testing
@testable import PkgTreeKit

/// Lint on trees as they come: a DC/OS-style package written for x86_64 only, and the
/// bundled tree, which must stay clean for both architectures it serves.
@Suite struct PkgpandaTreeLintTests {
    /// A package the way pkgpanda trees write them: an amd64 download, GOARCH in the script,
    /// an amd64 base image, and a library package that is fine.
    static let dcosStyleTree: [String: String] = [
        "foo/buildinfo.json": """
            {
              "requires": ["libbar"],
              "single_source": {
                "kind": "url_extract",
                "url": "https://example.invalid/foo-1.0-linux-amd64.tar.gz",
                "sha256": "\(String(repeating: "0", count: 64))"
              },
              "environment": {"FOO_HOME": "/opt/mesosphere/active/foo"}
            }
            """,
        "foo/build": """
            #!/bin/bash
            set -euo pipefail
            export GOARCH=amd64
            cd /pkg/src/foo
            go build -o "$PKG_PATH/bin/foo" ./cmd/foo
            """,
        "foo/docker/Dockerfile": """
            FROM amd64/ubuntu:22.04
            RUN apt-get update && apt-get install -y golang-go
            """,
        "libbar/buildinfo.json": #"{"single_source": {"kind": "git_local", "rel_path": "src"}}"#,
        "libbar/build": "#!/bin/bash\nmake -C /pkg/src/libbar PREFIX=\"$PKG_PATH\" install\n",
        "libbar/src/Makefile": "install:\n\ttrue\n",
    ]

    @Test func eachPortingBugOfAnX86OnlyPackageIsFound() throws {
        let report = try TreeFixture(Self.dcosStyleTree).lint(.aarch64)
        #expect(report.packages == ["libbar", "foo"])
        #expect(report.findings.summary == [
            "arch-name foo/build:3 amd64",
            "download-arch foo/buildinfo.json:5 amd64",
            "builder-image foo/docker/Dockerfile:1 amd64/ubuntu:22.04",
        ])
        let (script, download, image) = (report.findings[0], report.findings[1], report.findings[2])
        #expect(script.sourceLine == "export GOARCH=amd64")
        #expect(script.suggestion.contains("$PKG_GOARCH (arm64 on aarch64)"))
        #expect(download.field == "single_source.url")
        #expect(download.message.contains("https://example.invalid/foo-1.0-linux-amd64.tar.gz"))
        #expect(download.suggestion.contains(#""url": "https://example.invalid/foo-1.0-linux-arm64.tar.gz""#))
        #expect(image.suggestion.contains("FROM ubuntu:22.04"))
        #expect(report.findings.allSatisfy { $0.package == "foo" })
    }

    @Test func theSamePackageIsCleanForTheArchitectureItWasWrittenFor() throws {
        #expect(try TreeFixture(Self.dcosStyleTree).lint(.x86_64).findings.isEmpty)
    }

    @Test func portingItWithAnOverlayAndPkgGoarchMakesItClean() throws {
        var files = Self.dcosStyleTree
        files["foo/buildinfo.json"] = """
            {
              "requires": ["libbar"],
              "single_source": {"kind": "url_extract", "url": "https://example.invalid/foo-1.0-linux-amd64.tar.gz",
                                "sha256": "\(String(repeating: "0", count: 64))"},
              "arch": {"aarch64": {"single_source": {"url": "https://example.invalid/foo-1.0-linux-arm64.tar.gz",
                                                     "sha256": "\(String(repeating: "1", count: 64))"}}}
            }
            """
        files["foo/build"] = "#!/bin/bash\nexport GOARCH=\"$PKG_GOARCH\"\ngo build ./cmd/foo\n"
        files["foo/docker/Dockerfile"] = "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\n"
        let fixture = try TreeFixture(files)
        #expect(try fixture.lint(.aarch64).findings.isEmpty)
        #expect(try fixture.lint(.x86_64).findings.isEmpty)
    }

    static let bundledTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("packages")

    @Test(arguments: [Architecture.x86_64, .aarch64], [nil, "installer"] as [String?])
    func theBundledTreeLintsClean(arch: Architecture, variant: String?) throws {
        let report = try Linter.lint(packages: Self.bundledTree, .init(arch: arch, treeVariant: variant, hostArch: .x86_64))
        #expect(!report.packages.isEmpty)
        #expect(report.findings.isEmpty, "\(report.findings.summary)")
    }
}
