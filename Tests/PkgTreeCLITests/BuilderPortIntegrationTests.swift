import Foundation
import Testing
import RegistryTestSupport

/// Builders a port of DC/OS uses, with the real runners: a `default_builder` naming a
/// dcos-builder-style Dockerfile directory of the tree (built per platform on the built-in
/// recipe's image, its RUN lines executed in the target platform's root filesystem, its ENV,
/// WORKDIR and ENTRYPOINT honoured alike by podman, docker and bwrap), a recipe's
/// `environment` in every build, and a recipe's `setup` commands run when mmdebstrap makes it.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BuilderPortIntegrationTests {
    /// pkgpanda's dcos-builder, ported: FROM the recipe's image, Go's layout under /pkg, a tool
    /// made by a RUN line, a file copied from the directory, and dcos-builder's entrypoint.
    static let dockerfile = """
        ARG PKGTREE_BUILDER
        FROM ${PKGTREE_BUILDER}
        ENV GOPATH /pkg
        ENV PATH $GOPATH/bin:$PATH
        RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" \\
         && printf '#!/bin/sh\\necho tool-on-%s\\n' "$(uname -m)" > "$GOPATH/bin/dcos-tool" \\
         && chmod +x "$GOPATH/bin/dcos-tool"
        COPY motd /etc/builder-motd
        WORKDIR /pkg/src
        ENTRYPOINT ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit"]

        """

    /// No `#!` line: the entrypoint's bash runs it, as dcos-builder's does.
    static let probe = """
        mkdir -p "$PKG_PATH/share"
        {
          echo "tool=$(dcos-tool)"
          echo "gopath=$GOPATH"
          echo "motd=$(cat /etc/builder-motd)"
          echo "pwd=$(pwd)"
          printf 'options='
          for option in errexit nounset pipefail; do case ":$SHELLOPTS:" in *":$option:"*) printf '%s ' "$option";; esac; done
          echo
        } > "$PKG_PATH/share/probe"

        """

    static func dockerfileTree() throws -> ScratchTree {
        try ScratchTree([
            "treeinfo.json": #"{"default_builder": {"docker_directory": "docker/dcos-builder"}}"#,
            "docker/dcos-builder/Dockerfile": dockerfile,
            "docker/dcos-builder/motd": "ported from pkgpanda\n",
            "probe/buildinfo.json": "{}", "probe/build": probe,
        ])
    }

    @Test(arguments: ["podman", "docker", "bwrap"], ["x86_64", "aarch64"])
    func aDcosBuilderStyleDockerfileIsTheDefaultBuilderOnEveryRunner(runner: String, arch: String) async throws {
        if runner == "docker", !(await EngineAvailability.docker) {
            print("BuilderPortIntegrationTests: the docker row is skipped: the docker engine does not answer `docker info` (scripts/setup.sh starts dockerd)")
            return
        }
        let scratch = try Self.dockerfileTree()
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        let cache = try BuilderImages.cache(in: scratch.directory)
        let common = ["--arch", arch, "--runner", runner, "--packages", scratch.packages.path, "--cache", cache.path]
        let image = try await CLIRunner.run(["image", "build"] + common, cache: cache)
        #expect(image.status == 0, "\(image.stdout)\(image.stderr)")
        #expect(image.stdout.contains("docker/dcos-builder/Dockerfile on the bookworm recipe"), "\(image.stdout)")
        if runner == "bwrap" {
            let rootfs = try #require(image.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            let config = URL(fileURLWithPath: rootfs).deletingLastPathComponent().appendingPathComponent("config.json")
            #expect(try String(contentsOf: config, encoding: .utf8).contains("GOPATH=/pkg"))
        }
        let build = try await CLIRunner.run(["build"] + common, cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let expected = ["tool=tool-on-\(arch)", "gopath=/pkg", "motd=ported from pkgpanda", "pwd=/pkg/src", "options=errexit nounset pipefail "]
        #expect(try await ArtifactContent.read("share/probe", of: "probe", arch: arch, cache: cache) == expected.joined(separator: "\n") + "\n")
    }

    /// A recipe that adds only an environment to the built-in aarch64 recipe: the same root
    /// filesystem (no mmdebstrap), a new image for engines (its config carries the environment),
    /// and a new id, since what builds see changed.
    @Test(arguments: ["bwrap", "podman"])
    func aRecipesEnvironmentReachesEveryBuild(runner: String) async throws {
        // The built-in aarch64 recipe's packages, so its made root filesystem is reused.
        let packages = #"["bash", "build-essential", "ca-certificates", "file", "git", "make", "pkg-config", "xz-utils"]"#
        let scratch = try ScratchTree([
            "treeinfo.json": #"{"default_builder": {"suite": "bookworm", "packages": \#(packages), "environment": {"GOPATH": "/pkg", "PATH": "$GOPATH/bin:$PATH", "GREETING": "ported \\$HOME"}}}"#,
            "probe/buildinfo.json": "{}",
            "probe/build": "mkdir -p \"$PKG_PATH/share\"\necho \"$GOPATH|$PATH|$GREETING\" > \"$PKG_PATH/share/env\"\n",
        ])
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", runner, "--packages", scratch.packages.path,
                                             "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(!build.stderr.contains("mmdebstrap"), "the built-in recipe's root filesystem is reused: \(build.stderr)")
        #expect(try await ArtifactContent.read("share/env", of: "probe", arch: "aarch64", cache: cache)
                == "/pkg|/opt/mesosphere/bin:/pkg/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|ported $HOME\n")
    }

    /// Setup commands run by mmdebstrap in the new aarch64 root filesystem, under QEMU, with
    /// the recipe's environment; both runners use what they made. Makes a small image (Debian's
    /// essential packages and apt) once, kept with the other builder images.
    @Test func aRecipesSetupCommandsRunWhenTheImageIsMade() async throws {
        let setup = [
            #"mkdir -p "$GOPATH/bin""#,
            #"printf '#!/bin/sh\necho setup-tool in %s\n' "$GOPATH" > "$GOPATH/bin/setup-tool" && chmod +x "$GOPATH/bin/setup-tool""#,
            "uname -m > /etc/setup-machine",
        ]
        let recipe: [String: Any] = ["suite": "bookworm", "packages": [String](), "environment": ["GOPATH": "/pkg", "PATH": "$GOPATH/bin:$PATH"],
                                     "setup": setup]
        let treeinfo = try JSONSerialization.data(withJSONObject: ["default_builder": recipe], options: [.sortedKeys])
        let scratch = try ScratchTree([
            "treeinfo.json": String(decoding: treeinfo, as: UTF8.self),
            "probe/buildinfo.json": "{}",
            "probe/build": "mkdir -p \"$PKG_PATH/share\"\necho \"$(setup-tool) on $(cat /etc/setup-machine)\" > \"$PKG_PATH/share/setup\"\n",
        ])
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        for runner in ["bwrap", "podman"] {
            let cache = try BuilderImages.cache(in: scratch.directory.appendingPathComponent(runner))
            let build = try await CLIRunner.run(["build", "--arch", "aarch64", "--runner", runner, "--packages", scratch.packages.path,
                                                 "--cache", cache.path], cache: cache)
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            #expect(try await ArtifactContent.read("share/setup", of: "probe", arch: "aarch64", cache: cache) == "setup-tool in /pkg on aarch64\n")
        }
    }

    /// bwrap on a cache that never exported the Dockerfile image, while the engine already has
    /// it (made for another cache, or by a podman build): exported from the engine's image, with
    /// its config, into the cache's own image directory.
    @Test func bwrapExportsAnImageTheEngineAlreadyHas() async throws {
        let marker = "exported-from-the-engine"  // an image no other test makes
        let scratch = try ScratchTree([
            "treeinfo.json": #"{"default_builder": {"docker_directory": "docker/dcos-builder"}}"#,
            "docker/dcos-builder/Dockerfile": "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\nENV MARKER \(marker)\n",
            "probe/buildinfo.json": "{}",
            "probe/build": "mkdir -p \"$PKG_PATH/share\"\necho \"$MARKER\" > \"$PKG_PATH/share/marker\"\n",
        ])
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        for runner in ["podman", "bwrap"] {
            let cache = try BuilderImages.cacheWithOwnImages(in: scratch.directory.appendingPathComponent(runner))
            let common = ["--arch", "x86_64", "--runner", runner, "--packages", scratch.packages.path, "--cache", cache.path]
            let image = try await CLIRunner.run(["image", "build"] + common, cache: cache)
            #expect(image.status == 0, "\(image.stdout)\(image.stderr)")
            let build = try await CLIRunner.run(["build"] + common, cache: cache)
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            #expect(try await ArtifactContent.read("share/marker", of: "probe", arch: "x86_64", cache: cache) == marker + "\n")
        }
    }

    /// A bad Dockerfile RUN line fails the image, naming the Dockerfile and showing its output;
    /// nothing is built.
    @Test func aFailingRunLineNamesTheDockerfile() async throws {
        let scratch = try ScratchTree([
            "treeinfo.json": #"{"default_builder": {"docker_directory": "docker/dcos-builder"}}"#,
            "docker/dcos-builder/Dockerfile": "ARG PKGTREE_BUILDER\nFROM ${PKGTREE_BUILDER}\nRUN echo no-such-tool-here && no-such-tool\n",
            "probe/buildinfo.json": "{}", "probe/build": "mkdir -p \"$PKG_PATH\"\n",
        ])
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "podman", "--packages", scratch.packages.path,
                                             "--cache", cache.path], cache: cache)
        #expect(build.status == 2, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains("packages/docker/dcos-builder/Dockerfile: field 'default_builder.docker_directory': building the x86_64 builder image failed"), "\(build.stderr)")
        #expect(build.stderr.contains("no-such-tool"), "\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("packages/x86_64/probe").path))
    }
}
