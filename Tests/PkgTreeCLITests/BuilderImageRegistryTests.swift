import Foundation
import RegistryTestSupport
import Subprocess
import Testing

/// A package's `docker` field naming an image in a registry (distribution 2.8 on loopback, TLS
/// from the test's CA, htpasswd auth; the image pushed by skopeo): pulled for each build's
/// platform from the image index, unpacked for bwrap (arm64 under QEMU) or loaded into podman,
/// run with its config, and kept, so the next build needs no registry. A wrong pin, a platform
/// the image lacks, a layer that does not match its digest, missing credentials and a registry
/// that is down are refused before anything is built, naming the package and the field, with
/// the cache untouched.
@Suite(.tags(.container, .registry), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)),
       .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"),
       .enabled(if: TinyRegistryImage.missingTools == nil, "\(TinyRegistryImage.missingTools ?? "")"))
struct BuilderImageRegistryTests {
    /// Writes what the image's files, config and whiteouts look like to the build script.
    static let script = """
        #!/bin/sh
        set -e
        read marker < /etc/pkgtree-image
        read tool < /opt/tools/new
        {
          echo "$marker"
          echo "greeting=$IMAGE_GREETING pwd=$PWD"
          if [ -e /etc/obsolete ]; then echo "obsolete present"; else echo "obsolete whited out"; fi
          if [ -e /opt/tools/old ]; then echo "old present"; else echo "old hidden"; fi
          echo "$tool"
        } > "$PKG_PATH/seen"

        """

    static func expected(_ arch: String) -> String {
        "registry image for \(arch)\ngreeting=hello from the image config pwd=/work\nobsolete whited out\nold hidden\nnew tool\n"
    }

    /// A scratch tree whose packages name `images` (package name → `docker`), a cache whose
    /// `images/` is its own, the login file, and a pkgtree.json trusting the test CA for the
    /// registry (with this machine's podman options).
    struct Setup {
        let scratch: URL
        let packages: URL
        let cache: URL
        let authFile: URL

        init(registry: TestRegistry, images: [String: String]) throws {
            scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-imgreg-\(UUID().uuidString)")
            packages = scratch.appendingPathComponent("packages")
            for (name, docker) in images {
                try Self.package(name, docker: docker, in: packages)
            }
            cache = scratch.appendingPathComponent("cache")
            try FileManager.default.createDirectory(at: cache.appendingPathComponent("images"), withIntermediateDirectories: true)
            authFile = scratch.appendingPathComponent("auth.json")
            let (user, password) = registry.credentials ?? ("", "")
            try RemoteCacheFixture.writeAuthFile(authFile, registry: registry.host, user: user, password: password)
            let configuration: [String: Any] = [
                "podman": ["global_options": BuilderContainer.podmanOptions, "environment": ["CONTAINERS_CONF": "/etc/containers/pkgtree.conf"]],
                "builder_registries": [registry.host: ["cert_dir": registry.certificates.certDir.path]],
            ]
            try JSONSerialization.data(withJSONObject: configuration).write(to: scratch.appendingPathComponent("pkgtree.json"))
        }

        static func package(_ name: String, docker: String, in packages: URL) throws {
            let directory = packages.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: ["docker": docker]).write(to: directory.appendingPathComponent("buildinfo.json"))
            try Data((script + "echo \(name)\n").utf8).write(to: directory.appendingPathComponent("build"))
        }

        /// Runs pkgtree on the tree with only this setup's login file.
        func run(_ arguments: [String], authFile: URL? = nil, tree: Bool = true) async throws -> CLIRunner.Outcome {
            var environment = CLIRunner.environment(cache: cache)
            environment["REGISTRY_AUTH_FILE"] = (authFile ?? self.authFile).path
            environment["XDG_RUNTIME_DIR"] = scratch.path
            environment["DOCKER_CONFIG"] = scratch.path
            return try await CLIRunner.runTool(CLIRunner.binary, arguments + (tree ? ["--packages", packages.path] : []) + ["--cache", cache.path],
                                               environment: environment)
        }

        /// The `seen` file of `name`'s artifact for `arch`.
        func seen(_ name: String, _ arch: String) async throws -> String {
            let directory = cache.appendingPathComponent("packages/\(arch)/\(name)")
            let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".tar.xz") })
            return try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", directory.appendingPathComponent(artifact).path, "seen"]).stdout
        }

        func artifacts(_ name: String) -> [String] {
            ["x86_64", "aarch64"].flatMap { arch in
                (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("packages/\(arch)/\(name)").path)) ?? []
            }
        }

        /// The image directories of the cache, `<arch>/<id>`.
        var imageDirectories: [String] {
            ["x86_64", "aarch64"].flatMap { arch in
                ((try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("images/\(arch)").path)) ?? []).map { "\(arch)/\($0)" }
            }
        }
    }

    @Test func aPinnedIndexIsPulledForEachArchitectureUnpackedForBwrapAndKeptForTheNextBuild() async throws {
        try await TestRegistry.with { registry in
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-imgreg-image-\(UUID().uuidString)")
            let image = try await TinyRegistryImage.push(to: registry, scratch: scratch)
            let setup = try Setup(registry: registry, images: ["pinned": image.pinned, "tagged": image.tagged])
            let plan = try await setup.run(["plan", "--arch", "x86_64"])
            #expect(plan.stderr.contains("builder image '\(image.tagged)' is named by a mutable tag"), "\(plan.stderr)")

            let build = try await setup.run(["build", "--arch", "x86_64,aarch64", "--runner", "bwrap"])
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            for arch in ["x86_64", "aarch64"] {
                #expect(try await setup.seen("pinned", arch) == Self.expected(arch))
                #expect(try await setup.seen("tagged", arch) == Self.expected(arch))
            }
            #expect(build.stderr.contains("pulling builder image \(image.pinned) for linux/arm64: manifest \(image.manifestDigests["aarch64"]!)"), "\(build.stderr)")
            // The pin's directory, per architecture, keyed by the pinned digest; the tag's by its identity.
            let pinnedID = String(image.indexDigest.dropFirst("sha256:".count).prefix(24))
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: setup.cache.appendingPathComponent("images/aarch64/\(pinnedID)/image.json"))) as? [String: Any]
            #expect(record?["manifest_digest"] as? String == image.manifestDigests["aarch64"] && record?["resolved_digest"] as? String == image.indexDigest)
            #expect(setup.imageDirectories.count == 4, "\(setup.imageDirectories)")
            // The tag was resolved to the same index when it was pulled, and recorded so.
            let taggedID = try #require(setup.imageDirectories.first { $0.hasPrefix("aarch64/") && !$0.hasSuffix(pinnedID) })
            let taggedRecord = try JSONSerialization.jsonObject(with: Data(contentsOf: setup.cache.appendingPathComponent("images/\(taggedID)/image.json"))) as? [String: Any]
            #expect(taggedRecord?["resolved_digest"] as? String == image.indexDigest && taggedRecord?["reference"] as? String == image.tagged)
            let listed = try await setup.run(["image", "ls"], tree: false)
            #expect(listed.stdout.contains("aarch64\t\(pinnedID)\trootfs/, pulled from \(image.pinned)"), "\(listed.stdout)")

            // With the registry gone, another package on the same images builds from the cache.
            await registry.stop()
            try Setup.package("again", docker: image.pinned, in: setup.packages)
            let again = try await setup.run(["build", "again", "tagged", "--arch", "x86_64,aarch64", "--runner", "bwrap"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(!again.stderr.contains("pulling"), "\(again.stderr)")
            #expect(try await setup.seen("again", "aarch64") == Self.expected("aarch64"))

            // A pin not pulled yet needs the registry: its being down is said, nothing is built.
            try Setup.package("unreachable", docker: image.pinnedManifest("x86_64"), in: setup.packages)
            let down = try await setup.run(["build", "unreachable", "--arch", "x86_64", "--runner", "bwrap"])
            #expect(down.status == 2, "\(down.stdout)\(down.stderr)")
            #expect(down.stderr.contains("package 'unreachable': field 'docker': builder image '\(image.pinnedManifest("x86_64"))' cannot be pulled for linux/amd64: registry \(registry.host) cannot be reached"), "\(down.stderr)")
            #expect(setup.artifacts("unreachable").isEmpty && setup.imageDirectories.count == 4)
        }
    }

    /// The engines get the image pkgtree pulled, by `load`: they need no registry configuration
    /// of their own (docker's daemon would want the CA in /etc/docker/certs.d).
    @Test(arguments: ["podman", "docker"])
    func anEngineLoadsTheImagePkgtreePulledForEachPlatform(runner: String) async throws {
        if runner == "docker", !(await EngineAvailability.docker) {
            print("BuilderImageRegistryTests: the docker row is skipped: the docker engine does not answer `docker info` (scripts/setup.sh starts dockerd)")
            return
        }
        try await TestRegistry.with { registry in
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-imgreg-image-\(UUID().uuidString)")
            let image = try await TinyRegistryImage.push(to: registry, scratch: scratch)
            let setup = try Setup(registry: registry, images: ["pinned": image.pinned])
            let build = try await setup.run(["build", "--arch", "x86_64,aarch64", "--runner", runner])
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            for arch in ["x86_64", "aarch64"] {
                #expect(try await setup.seen("pinned", arch) == Self.expected(arch))
            }
            let id = String(image.indexDigest.dropFirst("sha256:".count).prefix(24))
            let client = try #require(EngineContainers.client(runner))
            let engine = { (arguments: [String]) async throws -> CLIRunner.Outcome in
                try await CLIRunner.runTool(client.path, client.options + arguments, environment: client.environment)
            }
            for (arch, platform) in [("x86_64", "linux/amd64"), ("aarch64", "linux/arm64")] {
                let inspect = try await engine(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "localhost/pkgtree/builder-\(arch):\(id)"])
                #expect(inspect.stdout == "\(platform)\n", "\(inspect.stderr)")
                _ = try await engine(["rmi", "--force", "localhost/pkgtree/builder-\(arch):\(id)"])
            }
            #expect(setup.imageDirectories.isEmpty, "engines keep registry images themselves: \(setup.imageDirectories)")
        }
    }

    @Test func aWrongPinAPlatformTheImageLacksContentNotMatchingThePinAndMissingCredentialsAreRefused() async throws {
        try await TestRegistry.with { registry in
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-imgreg-image-\(UUID().uuidString)")
            let image = try await TinyRegistryImage.push(to: registry, scratch: scratch)
            let wrong = "\(registry.host)/\(TinyRegistryImage.repository)@sha256:" + String(repeating: "0", count: 64)
            let setup = try Setup(registry: registry, images: ["wrongpin": wrong, "amd64only": image.pinnedManifest("x86_64"), "fine": image.pinned,
                                                               "tampered": image.pinnedManifest("aarch64")])

            let unknown = try await setup.run(["build", "wrongpin", "--arch", "x86_64", "--runner", "bwrap"])
            #expect(unknown.status == 2, "\(unknown.stdout)\(unknown.stderr)")
            #expect(unknown.stderr.contains("package 'wrongpin': field 'docker': builder image '\(wrong)' cannot be pulled for linux/amd64: the registry has no image"), "\(unknown.stderr)")
            #expect(unknown.stderr.contains("manifest unknown"))

            let platform = try await setup.run(["build", "amd64only", "--arch", "aarch64", "--runner", "bwrap"])
            #expect(platform.status == 2, "\(platform.stdout)\(platform.stderr)")
            #expect(platform.stderr.contains("package 'amd64only': field 'docker'") && platform.stderr.contains("it is an image for linux/amd64, not linux/arm64"), "\(platform.stderr)")
            #expect(platform.stderr.contains("pin the image index"))

            // A layer changed in the registry's storage (distribution checks manifests it serves,
            // not blobs): the pull refuses it as it streams, and keeps nothing.
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: registry.blobFile(digest: image.manifestDigests["aarch64"]!))) as? [String: Any]
            let layer = try #require((manifest?["layers"] as? [[String: Any]])?.last?["digest"] as? String)
            var stored = try Data(contentsOf: registry.blobFile(digest: layer))
            stored[stored.count / 2] ^= 0x01
            try stored.write(to: registry.blobFile(digest: layer))
            let tampered = try await setup.run(["build", "tampered", "--arch", "aarch64", "--runner", "bwrap"])
            #expect(tampered.status == 2, "\(tampered.stdout)\(tampered.stderr)")
            #expect(tampered.stderr.contains("package 'tampered': field 'docker'") && tampered.stderr.contains("sent wrong content: blob \(layer) arrived as"),
                    "\(tampered.stderr)")

            let nobody = setup.scratch.appendingPathComponent("no-logins.json")
            try Data(#"{"auths": {}}"#.utf8).write(to: nobody)
            let anonymous = try await setup.run(["build", "fine", "--arch", "x86_64", "--runner", "bwrap"], authFile: nobody)
            #expect(anonymous.status == 2, "\(anonymous.stdout)\(anonymous.stderr)")
            #expect(anonymous.stderr.contains("package 'fine': field 'docker'") && anonymous.stderr.contains("podman login \(registry.host)"), "\(anonymous.stderr)")

            #expect(["wrongpin", "amd64only", "fine", "tampered"].allSatisfy { setup.artifacts($0).isEmpty })
            #expect(setup.imageDirectories.isEmpty, "\(setup.imageDirectories)")
        }
    }
}
