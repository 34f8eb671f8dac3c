import Foundation
import Testing
@testable import PkgTreeKit

/// `release push`'s `oci://HOST[:PORT]/REPO:TAG`: the port's colon is not the tag's, and each
/// wrong address says what to write.
@Suite struct ReleaseDestinationTests {
    @Test(arguments: [
        ("oci://registry.example:5000/dcos/bootstrap:2.3.0", "registry.example:5000", "dcos/bootstrap", "2.3.0"),
        ("oci://127.0.0.1:41234/team/release:v1_rc-2", "127.0.0.1:41234", "team/release", "v1_rc-2"),
        ("oci://ghcr.io/org/pkgtree:latest", "ghcr.io", "org/pkgtree", "latest"),
    ])
    func aValidAddressNamesRegistryRepositoryAndTag(text: String, registry: String, repository: String, tag: String) throws {
        let destination = try ReleaseDestination(parsing: text, source: "destination")
        #expect(destination.location.registry == registry && destination.location.repository == repository && destination.tag == tag)
        #expect(destination.description == text)
        #expect(destination.imageReference == "\(registry)/\(repository):\(tag)")
    }

    @Test(arguments: [
        ("oci://registry.example:5000/dcos/bootstrap", "names no tag"),
        ("registry.example/dcos/bootstrap:1", "is not an oci:// address"),
        ("oci://registry.example/dcos/bootstrap:-1", "not an OCI tag"),
        ("oci://registry.example/Dcos/bootstrap:1", "lowercase letters"),
        ("oci://registry.example:5000:1", "names no repository"),
    ])
    func aWrongAddressIsAProblemThatSaysWhatToWrite(text: String, reason: String) {
        #expect {
            try ReleaseDestination(parsing: text, source: "destination")
        } throws: { error in
            let message = "\(error)"
            return message.contains(reason) && message.contains("oci://HOST[:PORT]/REPO:TAG") && message.contains(text)
        }
    }
}
