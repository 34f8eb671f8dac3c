import Foundation

/// The image of one platform that a reference names in a registry: its manifest and config,
/// every byte checked against the digest it was asked for. A reference naming an image index
/// (a manifest list) leads to the index's entry for the platform; one naming an image manifest
/// must have a config of that platform.
public struct RegistryImage: Sendable {
    public var repository: String
    /// What the reference resolved to: the pinned digest, or the tag's manifest (an index's,
    /// when it names one).
    public var resolvedDigest: String
    /// The platform's image manifest.
    public var manifestDigest: String
    public var manifest: OCIManifest
    /// The config blob as the registry holds it (its `config` object is what a container gets).
    public var config: Data
    public var platform: OCIPlatform

    public var layers: [OCIDescriptor] { manifest.layers }
}

/// Why a reference gives no image for the platform.
public enum RegistryImageError: Error, Sendable, CustomStringConvertible {
    /// The registry has no manifest under the tag or digest (`MANIFEST_UNKNOWN`).
    case unknown(String)
    /// An index without an entry for the platform; the platforms it has.
    case noPlatform(wanted: OCIPlatform, available: [OCIPlatform])
    /// An image manifest whose config is for another platform.
    case wrongPlatform(wanted: OCIPlatform, found: OCIPlatform)
    /// A manifest or layer of a kind pkgtree cannot run (Docker's schema 1, an artifact).
    case unsupported(String)

    public var description: String {
        switch self {
        case .unknown(let what):
            "the registry has no image \(what) (manifest unknown)"
        case .noPlatform(let wanted, let available):
            "its image index has no image for \(wanted.description); it has \(available.isEmpty ? "none" : available.map(\.description).joined(separator: ", "))"
        case .wrongPlatform(let wanted, let found):
            "it is an image for \(found.description), not \(wanted.description)"
        case .unsupported(let what):
            what
        }
    }
}

extension RegistryClient {
    /// What an engine pulling an image accepts, OCI's and Docker's.
    static let indexTypes = [OCIImageIndex.mediaType, DockerMediaType.manifestList]
    static let imageManifestTypes = [OCIManifest.mediaType, DockerMediaType.manifest]

    /// The image of `platform` that `reference` (a tag or a `sha256:` digest) names in
    /// `repository`. By digest, the manifest must hash to it (`manifest(_:reference:)`
    /// checks), and so must the index entry's manifest and the config: a pin holds down to
    /// the config's bytes.
    public func image(_ repository: String, reference: String, platform: OCIPlatform) async throws -> RegistryImage {
        let name = "\(repository)\(reference.hasPrefix("sha256:") ? "@" : ":")\(reference)"
        guard let top = try await manifest(repository, reference: reference, accepting: Self.indexTypes + Self.imageManifestTypes) else {
            throw RegistryImageError.unknown(name)
        }
        var chosen = top
        if Self.isIndex(top) {
            guard let index = try? JSONDecoder().decode(OCIImageIndex.self, from: top.data) else {
                throw RegistryError.invalidContent(registry: registry, "the image index \(name) is not an OCI image index")
            }
            let entry = try PlatformChoice.entry(in: index, for: platform).get()
            guard let child = try await manifest(repository, reference: entry.digest, accepting: Self.imageManifestTypes) else {
                throw RegistryImageError.unknown("\(repository)@\(entry.digest) (the \(platform.description) entry of \(name))")
            }
            chosen = child
        }
        let manifest = try imageManifest(chosen, name: name)
        let config = try await blob(repository, manifest.config, limit: Self.manifestLimit)
        let found = try PlatformChoice.platform(ofConfig: config, registry: registry, name: name)
        guard found.runs(as: platform) else { throw RegistryImageError.wrongPlatform(wanted: platform, found: found) }
        return RegistryImage(repository: repository, resolvedDigest: top.digest, manifestDigest: chosen.digest,
                             manifest: manifest, config: config, platform: found)
    }

    private static func isIndex(_ manifest: Manifest) -> Bool {
        let declared = (try? JSONDecoder().decode(MediaTypeField.self, from: manifest.data))?.mediaType ?? manifest.mediaType
        return indexTypes.contains(declared) || (declared.isEmpty && (try? JSONDecoder().decode(OCIImageIndex.self, from: manifest.data)) != nil)
    }

    private func imageManifest(_ manifest: Manifest, name: String) throws -> OCIManifest {
        let declared = (try? JSONDecoder().decode(MediaTypeField.self, from: manifest.data))?.mediaType ?? manifest.mediaType
        guard declared.isEmpty || Self.imageManifestTypes.contains(declared) else {
            throw RegistryImageError.unsupported("\(name) is a manifest of type \(declared), not an image manifest an engine runs (Docker's schema 1 is not read: push the image again with a current engine)")
        }
        guard let decoded = try? JSONDecoder().decode(OCIManifest.self, from: manifest.data) else {
            throw RegistryError.invalidContent(registry: registry, "the manifest \(manifest.digest) of \(name) is not an image manifest")
        }
        if let layer = decoded.layers.first(where: { !$0.mediaType.contains(".tar") }) {
            throw RegistryImageError.unsupported("\(name) has a layer of type \(layer.mediaType), which is no file system layer")
        }
        return decoded
    }

    private struct MediaTypeField: Decodable {
        var mediaType: String?
    }
}

/// Docker's media types, which registries serve for images pushed by Docker.
public enum DockerMediaType {
    public static let manifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let manifest = "application/vnd.docker.distribution.manifest.v2+json"
}
