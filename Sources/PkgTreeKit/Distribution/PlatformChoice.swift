import Foundation

/// Which entry of an image index is an image for a platform, as engines choose it: the same
/// `os` and `architecture`, and a variant that runs there (`PlatformChoice.runs`). An entry
/// whose variant is the one asked for wins over one that only runs there.
enum PlatformChoice {
    static func entry(in index: OCIImageIndex, for platform: OCIPlatform) -> Result<OCIDescriptor, RegistryImageError> {
        let candidates = index.manifests.filter { $0.platform.map { $0.runs(as: platform) } ?? false }
        if let entry = candidates.first(where: { $0.platform?.variant == platform.variant }) ?? candidates.first {
            return .success(entry)
        }
        // Entries without a platform, or `unknown/unknown` (BuildKit's attestations), are no images.
        let images = index.manifests.compactMap(\.platform).filter { $0.os != "unknown" }
        return .failure(.noPlatform(wanted: platform, available: images))
    }

    /// The platform an image config names (`architecture`, `os`, `variant`).
    static func platform(ofConfig config: Data, registry: String, name: String) throws -> OCIPlatform {
        guard let platform = try? JSONDecoder().decode(OCIPlatform.self, from: config) else {
            throw RegistryError.invalidContent(registry: registry, "the config of \(name) names no architecture and os")
        }
        return platform
    }
}

extension OCIPlatform {
    /// Whether an image of this platform runs as `wanted`: the same os and architecture, and
    /// the variant asked for, or, when none is asked for, none or the architecture's baseline
    /// (`arm64` images say `v8` or nothing; `amd64/v2` and up need a newer processor).
    func runs(as wanted: OCIPlatform) -> Bool {
        guard os == wanted.os, architecture == wanted.architecture else { return false }
        guard let variant, variant != wanted.variant else { return true }
        return wanted.variant == nil && Self.baselineVariants[architecture] == variant
    }

    private static let baselineVariants = ["arm64": "v8", "amd64": "v1"]
}
