import Testing
@testable import PkgTreeKit

/// Image references read as docker and podman read them: short names are Docker Hub's, a first
/// component with a dot, a port or `localhost` is a registry, a digest pins.
@Suite struct ImageReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test(arguments: [
        ("golang:1.10", "docker.io", "library/golang", "1.10", nil),
        ("golang", "docker.io", "library/golang", nil, nil),
        ("arm64v8/debian:12", "docker.io", "arm64v8/debian", "12", nil),
        ("index.docker.io/library/busybox:1", "docker.io", "library/busybox", "1", nil),
        ("127.0.0.1:5000/pkgtree/builder@\(digest)", "127.0.0.1:5000", "pkgtree/builder", nil, digest),
        ("localhost/tools/gcc:13", "localhost", "tools/gcc", "13", nil),
        ("registry.example/a/b/c:v1.2-rc_3@\(digest)", "registry.example", "a/b/c", "v1.2-rc_3", digest),
    ] as [(String, String, String, String?, String?)])
    func referencesNameTheirRegistryRepositoryTagAndDigest(text: String, registry: String, repository: String, tag: String?, digest: String?) throws {
        let reference = try ImageReference(parsing: text)
        #expect(reference.registry == registry)
        #expect(reference.repository == repository)
        #expect(reference.tag == tag)
        #expect(reference.digest == digest)
    }

    @Test func theRegistryIsAskedForTheDigestWhenPinnedElseTheTagElseLatest() throws {
        #expect(try ImageReference(parsing: "golang").manifestReference == "latest")
        #expect(try ImageReference(parsing: "golang:1.10").manifestReference == "1.10")
        #expect(try ImageReference(parsing: "golang:1.10@\(Self.digest)").manifestReference == Self.digest)
        #expect(try ImageReference(parsing: "golang").apiHost == "registry-1.docker.io")
        #expect(try ImageReference(parsing: "127.0.0.1:5000/x").apiHost == "127.0.0.1:5000")
        #expect(try ImageReference(parsing: "golang:1.10").description == "docker.io/library/golang:1.10")
    }

    @Test(arguments: [
        ("golang@sha256:abc", "not a digest"),
        ("golang@md5:\(String(repeating: "0", count: 32))", "not a digest"),
        ("Golang:1.10", "contains 'G'"),
        ("golang:-bad", "not a tag"),
        ("host:99999/x", "not HOST or HOST:PORT"),
        ("registry.example/", "names no image"),
        ("a//b", "names no image"),
    ])
    func malformedReferencesSayWhy(text: String, reason: String) {
        #expect(throws: ImageReference.Invalid.self) { try ImageReference(parsing: text) }
        do {
            _ = try ImageReference(parsing: text)
        } catch {
            #expect(error.reason.contains(reason), "\(text): \(error.reason)")
        }
    }

    @Test func aBadDockerFieldOrDefaultBuilderFailsLoadingNamingTheField() throws {
        let fixture = try TreeFixture.tree(["app": #"{"arch": {"aarch64": {"docker": "golang@sha256:short"}}}"#])
        let problem = try #require(fixture.problems().first)
        #expect(problem.field == "arch.aarch64.docker" && problem.package == "app", "\(problem)")
        #expect(problem.message.contains("is not an image reference") && problem.hint?.contains("NAME@sha256:") == true, "\(problem)")

        let tree = try TreeFixture.tree(["app": "{}"], extra: ["treeinfo.json": #"{"default_builder": "Debian:12"}"#])
        let builder = try #require(tree.problems().first)
        #expect(builder.field == "default_builder" && builder.message.contains("is not an image reference"), "\(builder)")
    }
}
