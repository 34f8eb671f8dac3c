import Foundation
import Testing
@testable import PkgTreeKit

/// The entry of an image index a build pulls: the build platform's, arm64's `v8` variant or
/// none alike, never an attestation or another platform.
@Suite struct PlatformChoiceTests {
    static func entry(_ digit: Character, _ platform: OCIPlatform?) -> OCIDescriptor {
        OCIDescriptor(mediaType: OCIManifest.mediaType, digest: "sha256:" + String(repeating: digit, count: 64), size: 1, platform: platform)
    }

    static let index = OCIImageIndex(manifests: [
        entry("1", OCIPlatform(os: "unknown", architecture: "unknown")),  // BuildKit's attestation
        entry("2", OCIPlatform(os: "linux", architecture: "amd64", variant: "v3")),
        entry("3", OCIPlatform(os: "linux", architecture: "amd64")),
        entry("4", OCIPlatform(os: "linux", architecture: "arm64", variant: "v8")),
        entry("5", OCIPlatform(os: "linux", architecture: "arm", variant: "v7")),
        entry("6", nil),
    ])

    @Test(arguments: [(Architecture.x86_64, "3"), (.aarch64, "4"), (.armv7, "5")] as [(Architecture, Character)])
    func eachArchitectureGetsItsOwnEntry(arch: Architecture, digit: Character) throws {
        let chosen = try PlatformChoice.entry(in: Self.index, for: arch.imagePlatform).get()
        #expect(chosen.digest == "sha256:" + String(repeating: digit, count: 64))
    }

    @Test func aMissingPlatformListsTheImagesTheIndexHas() {
        let onlyAmd64 = OCIImageIndex(manifests: [Self.index.manifests[0], Self.index.manifests[2]])
        switch PlatformChoice.entry(in: onlyAmd64, for: Architecture.aarch64.imagePlatform) {
        case .success(let entry): Issue.record("chose \(entry.digest)")
        case .failure(let refusal):
            #expect(refusal.description == "its image index has no image for linux/arm64; it has linux/amd64", "\(refusal)")
        }
    }

    @Test func variantsRunWhereTheirBaselineDoes() {
        let arm64 = OCIPlatform(os: "linux", architecture: "arm64")
        #expect(OCIPlatform(os: "linux", architecture: "arm64", variant: "v8").runs(as: arm64))
        #expect(arm64.runs(as: arm64))
        #expect(!OCIPlatform(os: "linux", architecture: "amd64", variant: "v3").runs(as: Architecture.x86_64.imagePlatform))
        #expect(!OCIPlatform(os: "windows", architecture: "amd64").runs(as: Architecture.x86_64.imagePlatform))
        #expect(!OCIPlatform(os: "linux", architecture: "arm", variant: "v6").runs(as: Architecture.armv7.imagePlatform))
    }

    @Test func aConfigNamesItsPlatform() throws {
        let config = Data(#"{"architecture":"arm64","os":"linux","variant":"v8","config":{"Env":["A=1"]},"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        #expect(try PlatformChoice.platform(ofConfig: config, registry: "r", name: "n") == OCIPlatform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(throws: RegistryError.self) { try PlatformChoice.platform(ofConfig: Data("{}".utf8), registry: "r", name: "n") }
    }
}
