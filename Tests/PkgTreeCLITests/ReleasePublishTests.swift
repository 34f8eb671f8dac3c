import Foundation
import RegistryTestSupport
import Testing

/// `pkgtree release create` with SBOMs and a signature, `release verify`, and `release push`
/// to a real registry (distribution 2.8 on loopback, TLS from the test's CA, htpasswd auth),
/// read back by skopeo and pulled and run by podman, each platform under its own
/// architecture (arm64 under QEMU). The tree is `ReleaseTree`, released once for the suite.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ReleasePublishTests {
    struct Released: Sendable {
        /// The scratch directory the tree, the cache and the keys are in.
        let scratch: URL
        let cache: URL
        let output: URL
        let directory: URL
        let publicKey: URL
        /// The sha256 of the `url` source `greeting.txt`.
        let greetingDigest: String
        let releaseJSON: Data

        var release: [String: Any] { (try? JSONSerialization.jsonObject(with: releaseJSON)) as? [String: Any] ?? [:] }
    }

    static let released = Task<Released, Error> {
        let tree = try await ReleaseTree()
        let cache = try BuilderImages.cache(in: tree.scratch.directory)
        let keys = tree.scratch.directory.appendingPathComponent("keys")
        let generated = try await CLIRunner.run(["key", "generate", "--name", "release.test-1", "--output", keys.path])
        guard generated.status == 0 else { throw Failed(output: generated.stderr) }
        let output = tree.scratch.directory.appendingPathComponent("release")
        let create = try await CLIRunner.run(["release", "create", "--arch", "x86_64,aarch64", "--runner", "bwrap",
                                              "--packages", tree.packages.path, "--cache", cache.path, "--output", output.path,
                                              "--sign-key", keys.appendingPathComponent("release.test-1.key").path], cache: cache)
        guard create.status == 0, let line = create.stdout.split(separator: "\n").first(where: { $0.hasPrefix("release ") && $0.contains(" written: ") }) else {
            throw Failed(output: create.stdout + create.stderr)
        }
        let releaseID = String(line.split(separator: " ")[1])
        let directory = output.appendingPathComponent(releaseID)
        return Released(scratch: tree.scratch.directory, cache: cache, output: output, directory: directory,
                        publicKey: keys.appendingPathComponent("release.test-1.pub"), greetingDigest: try await tree.sources.sha256("greeting.txt"),
                        releaseJSON: try Data(contentsOf: directory.appendingPathComponent("release.json")))
    }

    struct Failed: Error { var output: String }

    static func manifests(_ released: Released) -> [[String: Any]] {
        released.release["manifests"] as? [[String: Any]] ?? []
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: SPDXValidator.path != nil, "pyspdxtools is not installed (scripts/setup.sh installs spdx-tools)"))
    func eachBootstrapHasAnSBOMThatAnIndependentSPDXValidatorAccepts() async throws {
        let released = try await Self.released.value
        let manifests = Self.manifests(released)
        #expect(manifests.count == 2)
        for manifest in manifests {
            let sbom = try #require(manifest["sbom"] as? [String: Any])
            let file = released.directory.appendingPathComponent(try #require(sbom["path"] as? String))
            let validation = try await CLIRunner.runTool(try #require(SPDXValidator.path), ["--infile", file.path])
            #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
            #expect(!validation.stdout.contains("ERROR") && !validation.stderr.contains("ERROR"), "\(validation.stdout)\(validation.stderr)")
        }
    }

    @Test func theSBOMNamesPackagesSourcesBuildersAndRequirements() async throws {
        let released = try await Self.released.value
        for manifest in Self.manifests(released) {
            let path = try #require((manifest["sbom"] as? [String: Any])?["path"] as? String)
            let document = try Self.json(try String(contentsOf: released.directory.appendingPathComponent(path), encoding: .utf8))
            #expect(document["spdxVersion"] as? String == "SPDX-2.3" && document["dataLicense"] as? String == "CC0-1.0")
            let packages = try #require(document["packages"] as? [[String: Any]])
            let byName = Dictionary(packages.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            let ids = try #require(manifest["packages"] as? [String])
            for name in ["greeting", "static-hello"] {
                let package = try #require(byName[name], "\(name) in \(byName.keys.sorted())")
                let id = try #require(ids.first { $0.hasPrefix("\(name)--") })
                #expect(package["versionInfo"] as? String == String(id.dropFirst(name.count + 2)))
                let arch = try #require(manifest["arch"] as? String)
                let artifact = released.cache.appendingPathComponent("packages/\(arch)/\(name)/\(id).tar.xz")
                let checksum = (package["checksums"] as? [[String: String]])?.first
                #expect(checksum == ["algorithm": "SHA256", "checksumValue": try await SourceServer.sha256(of: artifact)])
            }
            let text = try #require(byName["greeting source text"])
            #expect((text["checksums"] as? [[String: String]])?.first?["checksumValue"] == released.greetingDigest)
            #expect((text["sourceInfo"] as? String)?.contains("/greeting.txt") == true)
            let notes = try #require(byName["greeting source notes"])
            #expect((notes["versionInfo"] as? String)?.count == 40)
            #expect(byName["static-hello source static-hello"]?["sourceInfo"] as? String != nil)
            // static-hello is cross-compiled in the x86_64 builder on both architectures;
            // greeting is built in its own architecture's.
            let platform = try #require((manifest["platform"] as? [String: String])?["architecture"])
            let builders = packages.filter { ($0["name"] as? String)?.hasPrefix("builder: debian bookworm recipe") == true }
            #expect(builders.count == (platform == "amd64" ? 1 : 2))
            #expect(builders.allSatisfy { ($0["versionInfo"] as? String)?.hasPrefix("sha256:") == true })
            func builder(_ platform: String) -> String? {
                builders.first { ($0["name"] as? String)?.hasSuffix("(linux/\(platform))") == true }?["SPDXID"] as? String
            }

            let relationships = try #require(document["relationships"] as? [[String: String]])
            func element(_ name: String) -> String? { byName[name]?["SPDXID"] as? String }
            func related(_ a: String?, _ type: String, _ b: String?) -> Bool {
                relationships.contains { $0["spdxElementId"] == a && $0["relationshipType"] == type && $0["relatedSpdxElement"] == b }
            }
            #expect(related(element("static-hello"), "DEPENDS_ON", element("greeting")))
            #expect(!related(element("greeting"), "DEPENDS_ON", element("static-hello")))
            #expect(related(element("greeting"), "GENERATED_FROM", element("greeting source text")))
            #expect(related(builder("amd64"), "BUILD_TOOL_OF", element("static-hello")))
            #expect(related(builder(platform), "BUILD_TOOL_OF", element("greeting")))
            #expect(related("SPDXRef-Bootstrap", "CONTAINS", element("greeting")))
            #expect(related("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Bootstrap"))
        }
    }

    @Test func theSignatureVerifiesWithPkgtreeAndWithTheDocumentedOpensslCommand() async throws {
        let released = try await Self.released.value
        let verify = try await CLIRunner.run(["release", "verify", released.directory.path, "--trusted-key", released.publicKey.path])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("match SHA256SUMS, signed by release.test-1"), "\(verify.stdout)")

        // docs/release.md: the public key as PEM, then openssl.
        let openssl = try await CLIRunner.runTool("/bin/sh", ["-c", """
            printf -- '-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA%s\\n-----END PUBLIC KEY-----\\n' "$(cut -d: -f2 "$1")" > "$2/release.pem"
            cd "$3" && openssl pkeyutl -verify -pubin -inkey "$2/release.pem" -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
            """, "sh", released.publicKey.path, released.scratch.path, released.directory.path])
        #expect(openssl.status == 0 && openssl.stdout.contains("Signature Verified Successfully"), "\(openssl.stdout)\(openssl.stderr)")

        let other = try await CLIRunner.run(["key", "generate", "--name", "stranger", "--output", released.scratch.appendingPathComponent("other-keys").path])
        #expect(other.status == 0)
        let wrongKey = try await CLIRunner.run(["release", "verify", released.directory.path, "--trusted-key",
                                                released.scratch.appendingPathComponent("other-keys/stranger.pub").path])
        #expect(wrongKey.status == 1 && wrongKey.stderr.contains("not a signature of SHA256SUMS by any trusted key (stranger)"), "\(wrongKey.stderr)")

        let copy = released.scratch.appendingPathComponent("tampered")
        #expect(try await CLIRunner.runTool("/bin/cp", ["-a", released.directory.path, copy.path]).status == 0)
        let sbom = try #require(try FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("aarch64").path).first { $0.hasSuffix(".spdx.json") })
        try Data("{}\n".utf8).write(to: copy.appendingPathComponent("aarch64/\(sbom)"))
        let tampered = try await CLIRunner.run(["release", "verify", copy.path, "--trusted-key", released.publicKey.path])
        #expect(tampered.status == 1 && tampered.stderr.contains("FAILED aarch64/\(sbom): digest"), "\(tampered.stderr)")
    }

    /// The SBOM takes its time from the bootstrap, so another SOURCE_DATE_EPOCH (with the
    /// bootstraps made already) gives the same release, which is not written again.
    @Test func theSameBootstrapsUnderAnotherSourceDateAreTheSameRelease() async throws {
        let released = try await Self.released.value
        var environment = CLIRunner.environment(cache: released.cache)
        environment["SOURCE_DATE_EPOCH"] = "1700000000"
        let again = try await CLIRunner.runTool(CLIRunner.binary, [
            "release", "create", "--arch", "x86_64,aarch64", "--runner", "bwrap", "--packages", released.scratch.appendingPathComponent("packages").path,
            "--cache", released.cache.path, "--output", released.output.path,
        ], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("release \(released.directory.lastPathComponent) exists (same bootstraps)"), "\(again.stdout)")
        #expect(!again.stdout.contains("not signed"), "\(again.stdout)")
    }

    /// A run killed while writing a release leaves the directory it staged beside it, under a
    /// hidden name that holds the release id. The next run of that release removes it (it holds
    /// the release's lock, so nobody else is staging it) and leaves another release's alone.
    @Test func theNextRunRemovesWhatAKilledRunStaged() async throws {
        let released = try await Self.released.value
        let releaseID = released.directory.lastPathComponent
        let output = released.scratch.appendingPathComponent("release-after-kill")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: released.output.appendingPathComponent("bootstrap"), to: output.appendingPathComponent("bootstrap"))
        let leftover = output.appendingPathComponent(".\(UUID().uuidString).\(releaseID).part")
        let another = output.appendingPathComponent(".\(UUID().uuidString).\(String(repeating: "0", count: releaseID.count)).part")
        for staged in [leftover, another] {
            try FileManager.default.createDirectory(at: staged.appendingPathComponent("x86_64"), withIntermediateDirectories: true)
            try Data("{".utf8).write(to: staged.appendingPathComponent("release.json"))
        }
        let again = try await CLIRunner.run([
            "release", "create", "--arch", "x86_64,aarch64", "--runner", "bwrap", "--packages", released.scratch.appendingPathComponent("packages").path,
            "--cache", released.cache.path, "--output", output.path,
        ], cache: released.cache)
        #expect(again.status == 0 && again.stdout.contains("release \(releaseID) written: "), "\(again.stdout)\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "the killed run's staging of \(releaseID) is left")
        #expect(FileManager.default.fileExists(atPath: another.path), "another release's staging was removed")
        #expect(try Data(contentsOf: output.appendingPathComponent("\(releaseID)/release.json")) == released.releaseJSON)
    }

    @Test func theLatestPointersMoveOnlyAfterTheReleaseIsSigned() async throws {
        let released = try await Self.released.value
        let signed = try FileManager.default.attributesOfItem(atPath: released.directory.appendingPathComponent("SHA256SUMS.sig").path)[.modificationDate] as? Date
        for manifest in Self.manifests(released) {
            let arch = try #require(manifest["arch"] as? String)
            let pointer = released.output.appendingPathComponent("bootstrap/\(arch)/bootstrap.latest")
            #expect(try String(contentsOf: pointer, encoding: .utf8) == manifest["bootstrap_id"] as? String)
            let moved = try FileManager.default.attributesOfItem(atPath: pointer.path)[.modificationDate] as? Date
            #expect(try #require(moved) >= (try #require(signed)))
        }
    }

    @Test(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
    func pushPublishesAnIndexOfBothPlatformsWithTheReleaseAttachedAndPodmanRunsEach() async throws {
        let released = try await Self.released.value
        try await TestRegistry.with { registry in
            let (user, password) = try #require(registry.credentials)
            let remote = ReleaseOnRegistry(released: released, registry: registry)
            let pushed = try await remote.push("pkgtree/release")
            #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")
            #expect(pushed.stdout.contains("pushed linux/arm64 image sha256:") && pushed.stdout.contains("attached release.json, SHA256SUMS, SHA256SUMS.sig"))

            let skopeo = { (reference: String) async throws -> [String: Any] in
                let inspect = try await remote.inspect("pkgtree/release", reference)
                #expect(inspect.status == 0, "\(inspect.stderr)")
                return try Self.json(inspect.stdout)
            }
            let index = try await skopeo(":1.0")
            #expect(index["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
            let images = try #require(index["manifests"] as? [[String: Any]])
            let platforms = images.compactMap { ($0["platform"] as? [String: String]).map { "\($0["os"] ?? "")/\($0["architecture"] ?? "")" } }
            #expect(platforms.sorted() == ["linux/amd64", "linux/arm64"])
            for (image, manifest) in zip(images, Self.manifests(released)) {
                let annotations = image["annotations"] as? [String: String] ?? [:]
                #expect(annotations["org.pkgtree.bootstrap.id"] == manifest["bootstrap_id"] as? String)
                #expect(annotations["org.pkgtree.bootstrap.packages"] == (manifest["packages"] as? [String])?.joined(separator: ","))
            }
            let indexDigest = try #require(ReleaseOnRegistry.indexDigest(pushed))
            let referrers = try await skopeo(":" + indexDigest.replacingOccurrences(of: ":", with: "-"))
            let attachments = try #require(referrers["manifests"] as? [[String: Any]])
            #expect(attachments.count == 1 && attachments.first?["artifactType"] as? String == "application/vnd.pkgtree.release.v1")
            let attachment = try await skopeo("@" + (try #require(attachments.first?["digest"] as? String)))
            #expect((attachment["subject"] as? [String: Any])?["digest"] as? String == indexDigest)
            let titles = (attachment["layers"] as? [[String: Any]] ?? []).compactMap { ($0["annotations"] as? [String: String])?["org.opencontainers.image.title"] }
            #expect(titles.prefix(3) == ["release.json", "SHA256SUMS", "SHA256SUMS.sig"] && titles.filter { $0.hasSuffix(".spdx.json") }.count == 2, "\(titles)")

            let again = try await remote.push("pkgtree/release")
            #expect(again.status == 0 && again.stdout.contains("as index \(indexDigest)"), "\(again.stdout)\(again.stderr)")

            let reference = "\(registry.host)/pkgtree/release:1.0"
            let podman = { (arguments: [String]) async throws -> CLIRunner.Outcome in
                try await CLIRunner.runTool("/usr/bin/podman", BuilderContainer.podmanOptions + arguments, environment: BuilderContainer.podmanEnvironment)
            }
            for (platform, arch) in [("linux/arm64", "aarch64"), ("linux/amd64", "x86_64")] {
                let pull = try await podman(["pull", "--quiet", "--platform", platform, "--cert-dir", registry.certificates.certDir.path,
                                             "--creds", "\(user):\(password)", reference])
                #expect(pull.status == 0, "\(pull.stderr)")
                let run = try await podman(["run", "--rm", "--network", "none", reference, "\(ReleaseTree.installRoot)/bin/static-hello"])
                #expect(run.stdout == "static-hello on \(arch): hello from a released bootstrap\n", "\(platform): \(run.stderr)")
            }
            _ = try await podman(["rmi", "--force", reference])
        }
    }

    @Test func badInputToPushIsRefusedBeforeAnythingIsSent() async throws {
        let released = try await Self.released.value
        let noTag = try await CLIRunner.run(["release", "push", released.directory.path, "oci://127.0.0.1:9/pkgtree/release"])
        #expect(noTag.status == 2 && noTag.stderr.contains("names no tag") && noTag.stderr.contains("oci://HOST[:PORT]/REPO:TAG"), "\(noTag.stderr)")
        let variant = try await CLIRunner.run(["release", "push", released.directory.path, "oci://127.0.0.1:9/pkgtree/release:1", "--variant", "nope"])
        #expect(variant.status == 2 && variant.stderr.contains("no bootstrap of tree variant nope") && variant.stderr.contains("(default)"), "\(variant.stderr)")
        let notRelease = try await CLIRunner.run(["release", "push", released.output.path, "oci://127.0.0.1:9/pkgtree/release:1"])
        #expect(notRelease.status == 2 && notRelease.stderr.contains("is not a release directory"), "\(notRelease.stderr)")
        let compression = try await CLIRunner.run(["release", "push", released.directory.path, "oci://127.0.0.1:9/pkgtree/release:1", "--layer-compression", "lz4"])
        #expect(compression.status == 2, "\(compression.stderr)")
    }
}

/// `pyspdxtools`, from PyPI's spdx-tools, which `scripts/setup.sh` installs into its own venv.
enum SPDXValidator {
    static let path: String? = CLIRunner.which("pyspdxtools")
        ?? ["/opt/pkgtree-tools/spdx-tools/bin/pyspdxtools"].first { FileManager.default.isExecutableFile(atPath: $0) }
}
