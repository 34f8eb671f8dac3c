import Foundation
@testable import PkgTreeKit
import RegistryTestSupport
import Testing

/// Package ids map to tags injectively, and every tag and repository is one registries accept.
struct RemoteCacheMappingTests {
    static let hash = String(repeating: "0123456789abcdef", count: 3).prefix(40)

    @Test(arguments: ["zlib--\(hash)", "boost_libs--1.2+dfsg:3~rc1-\(hash)", "_x@y+z--\(hash)",
                      "A.B-c__d--v_1-\(hash)", "a_a--\(hash)", "a@--\(hash)", "odd\u{e9}--\(hash)"])
    func aTagIsValidAndDecodesBackToItsID(id: String) {
        let tag = RemoteCacheMapping.tag(forID: id)
        #expect(OCIName.isValidTag(tag), "\(tag)")
        #expect(RemoteCacheMapping.unescape(tag) == id)
    }

    /// Ids drawn from every character an id may hold, the escape character most of all: no
    /// two share a tag, and each tag decodes to its id.
    @Test func distinctIDsNeverShareATag() {
        let alphabet = Array("ab_@+:~.-_Z9x")
        var generator = SeededGenerator(seed: TestSeed.draw(for: "RemoteCacheMappingTests/distinctIDsNeverShareATag"))
        var tags: [String: String] = [:]
        for _ in 0..<20_000 {
            let name = String((0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let id = "\(name)--\(Self.hash)"
            let tag = RemoteCacheMapping.tag(forID: id)
            if let other = tags[tag] { #expect(other == id, "'\(other)' and '\(id)' share the tag \(tag)") }
            tags[tag] = id
            #expect(RemoteCacheMapping.unescape(tag) == id)
        }
    }

    @Test func anIDTooLongForATagGetsAHashedTagNoIDEscapesTo() {
        let id = String(repeating: "long-name.", count: 12) + "x--\(Self.hash)"
        let tag = RemoteCacheMapping.tag(forID: id)
        #expect(tag.hasPrefix("_h") && tag.count == 66)
        #expect(OCIName.isValidTag(tag))
        #expect(RemoteCacheMapping.unescape(tag) == nil)
        #expect(RemoteCacheMapping.tag(forID: id + "y") != tag)
    }

    @Test func eachArchitectureHasARepositoryOfItsOwn() throws {
        let location = try RemoteCacheLocation(parsing: "oci://127.0.0.1:5000/team/pkgtree-cache", source: "test")
        let repositories = Architecture.allCases.map { RemoteCacheMapping.repository(location, arch: $0) }
        #expect(Set(repositories).count == Architecture.allCases.count)
        for repository in repositories { #expect(OCIName.invalidRepositoryReason(repository) == nil, "\(repository)") }
        #expect(repositories.first == "team/pkgtree-cache/x86_64")
    }

    @Test func aLocationIsParsed() throws {
        let location = try RemoteCacheLocation(parsing: "oci://registry.example:5000/pkgtree/cache/", source: "--remote-cache")
        #expect(location.registry == "registry.example:5000")
        #expect(location.repository == "pkgtree/cache")
        #expect(location.description == "oci://registry.example:5000/pkgtree/cache")
    }

    @Test(arguments: [
        ("https://registry.example/pkgtree", "is not an oci:// address"),
        ("oci://registry.example", "names no repository"),
        ("oci://registry.example/", "names no repository"),
        ("oci://registry.example:99999/cache", "does not name a registry host"),
        ("oci://registry.example/Cache", "contains 'C'"),
        ("oci://registry.example/a//b", "empty path component"),
        ("oci://registry.example/a-/b", "ends with a separator"),
    ])
    func aBadLocationIsAProblemNamingItsSource(text: String, message: String) {
        #expect {
            _ = try RemoteCacheLocation(parsing: text, source: "PKGTREE_REMOTE_CACHE")
        } throws: { error in
            let problem = (error as? Problems)?.all.first
            return problem?.field == "PKGTREE_REMOTE_CACHE" && problem?.message.contains(message) == true
        }
    }
}
