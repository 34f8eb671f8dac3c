import Testing
@testable import PkgTreeKit

/// A package's `docker/Dockerfile` and `docker/.dockerignore`.
@Suite struct DockerLintTests {
    static func lint(dockerfile: String? = nil, dockerignore: String? = nil, arch: Architecture = .aarch64) throws -> [LintFinding] {
        var files = ["app/buildinfo.json": "{}", "app/build": "make\n"]
        files["app/docker/Dockerfile"] = dockerfile
        files["app/docker/.dockerignore"] = dockerignore
        return try TreeFixture(files).findings(arch)
    }

    @Test func anImageOrPlatformOfAnotherArchitectureInFromIsReported() throws {
        let findings = try Self.lint(dockerfile: """
            FROM amd64/ubuntu:22.04 AS base
            FROM --platform=linux/amd64 debian:bookworm
            FROM --platform=$TARGETPLATFORM debian:bookworm
            """)
        #expect(findings.summary == ["builder-image app/docker/Dockerfile:1 amd64/ubuntu:22.04",
                                     "from-platform app/docker/Dockerfile:2 --platform=linux/amd64"])
        #expect(findings[0].column == 6)
        #expect(findings[0].suggestion.contains("FROM ${PKGTREE_BUILDER}"))
        #expect(findings[0].suggestion.contains("FROM ubuntu:22.04"))
    }

    /// pkgpanda's dcos-builder downloads Go for amd64; ported as the tree's builder, it is
    /// built for aarch64 too, and lint says so before the build.
    @Test func theTreesDockerfileBuilderIsLintedForTheTarget() throws {
        let fixture = try TreeFixture([
            "app/buildinfo.json": "{}", "app/build": "make\n",
            "treeinfo.json": #"{"default_builder": {"docker_directory": "docker/dcos-builder"}}"#,
            "docker/dcos-builder/Dockerfile": """
                ARG PKGTREE_BUILDER
                FROM ${PKGTREE_BUILDER}
                ENV GOLANG_DOWNLOAD_URL https://example.invalid/go1.11.1.linux-amd64.tar.gz
                """,
        ])
        #expect(try fixture.findings(.aarch64).summary == ["arch-name docker/dcos-builder/Dockerfile:3 amd64"])
        #expect(try fixture.findings(.x86_64).isEmpty)
    }

    @Test func thePkgtreeBuilderAndBranchesOnTargetarchAreClean() throws {
        let dockerfile = """
            ARG PKGTREE_BUILDER
            FROM ${PKGTREE_BUILDER}
            ARG TARGETARCH
            RUN curl -o /usr/bin/jq https://example.invalid/jq-linux-${TARGETARCH}
            RUN case "$TARGETARCH" in \\
                  amd64) echo x86_64 ;; \\
                  arm64) echo aarch64 ;; \\
                esac
            """
        #expect(try Self.lint(dockerfile: dockerfile).isEmpty)
        #expect(try Self.lint(dockerfile: dockerfile, arch: .x86_64).isEmpty)
    }

    @Test func otherLinesNamingAnotherArchitectureSuggestTargetarch() throws {
        let findings = try Self.lint(dockerfile: "FROM debian:bookworm\nRUN curl -LO https://example.invalid/jq-linux-amd64\n")
        #expect(findings.summary == ["arch-name app/docker/Dockerfile:2 amd64"])
        #expect(findings[0].suggestion.contains("${TARGETARCH}"))
    }

    @Test func aDockerignoreThatDropsTheTargetsFilesButKeepsAnothersIsReported() throws {
        let findings = try Self.lint(dockerignore: "# keep the context small\nbin/*-arm64\n!bin/*-amd64\n")
        #expect(findings.summary == ["dockerignore-arch app/docker/.dockerignore:2 bin/*-arm64"])
        #expect(findings[0].message.contains("keeps x86_64's ('!bin/*-amd64')"))
        #expect(try Self.lint(dockerignore: "bin/*-arm64\n!bin/*-amd64\n", arch: .x86_64).isEmpty)
    }

    @Test func aDockerignoreNamingOnlyTheTargetIsReported() throws {
        #expect(try Self.lint(dockerignore: "prebuilt/aarch64/\n").map(\.rule) == [.dockerignoreArch])
    }

    @Test(arguments: ["bin/*-arm64\nbin/*-amd64\n", "bin/*-amd64\n", "bin/*-arm64\n!bin/*-arm64-tool\n", "*.log\n"])
    func aDockerignoreTreatingArchitecturesAlikeIsClean(dockerignore: String) throws {
        #expect(try Self.lint(dockerignore: dockerignore).isEmpty)
    }

    @Test func dockerFilesTakeSuppressionComments() throws {
        #expect(try Self.lint(dockerfile: "# pkgtree-lint: ignore[builder-image] this stage only extracts files\nFROM amd64/busybox\n").isEmpty)
        #expect(try Self.lint(dockerignore: "bin/*-arm64  # pkgtree-lint: ignore[dockerignore-arch]\n").isEmpty)
    }
}
