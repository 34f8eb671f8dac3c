import Foundation
import Testing
@testable import PkgTreeKit

/// The referrers tag schema's index: the attachment joins what other tools attached, once.
@Suite struct ReleaseAttachmentTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    static func entry(_ hex: String, type: String) -> OCIDescriptor {
        OCIDescriptor(mediaType: OCIManifest.mediaType, digest: "sha256:" + String(repeating: hex, count: 32), size: 100, artifactType: type)
    }

    @Test func theReferrersTagIsTheDigestWithADash() {
        #expect(ReleaseAttachment.referrersTag(of: Self.digest) == "sha256-" + String(repeating: "ab", count: 32))
    }

    @Test func anAttachmentIsAddedToOtherReferrersOnce() throws {
        let signature = Self.entry("01", type: "application/vnd.dev.cosign.artifact.sig.v1+json")
        let existing = OCIImageIndex(manifests: [signature]).encoded()
        let release = Self.entry("02", type: ReleaseAttachment.artifactType)
        let merged = ReleaseAttachment.referrers(adding: release, to: existing)
        let index = try JSONDecoder().decode(OCIImageIndex.self, from: merged)
        #expect(index.manifests == [signature, release])
        #expect(index.mediaType == OCIImageIndex.mediaType)
        #expect(ReleaseAttachment.referrers(adding: release, to: merged) == merged)
        #expect(try JSONDecoder().decode(OCIImageIndex.self, from: ReleaseAttachment.referrers(adding: release, to: nil)).manifests == [release])
    }
}
