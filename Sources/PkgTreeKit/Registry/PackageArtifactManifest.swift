import Foundation

/// The manifest of one package in the remote cache (docs/registry.md): an OCI image manifest
/// with `artifactType` `application/vnd.pkgtree.package.v1`, the empty config, the package's
/// `.tar.xz` as its one layer, and the package's metadata and signature as annotations.
public enum PackageArtifactManifest {
    public static let artifactType = "application/vnd.pkgtree.package.v1"
    public static let layerMediaType = "application/vnd.pkgtree.package.v1.tar+xz"

    enum Annotation {
        static let id = "org.pkgtree.package.id"
        static let name = "org.pkgtree.package.name"
        static let variant = "org.pkgtree.package.variant"
        static let arch = "org.pkgtree.package.arch"
        static let signature = "org.pkgtree.signature"
        static let title = "org.opencontainers.image.title"
    }

    /// What is needed to describe one artifact.
    public struct Content: Sendable {
        public var id: String
        public var name: String
        public var variant: String?
        public var arch: Architecture
        public var digest: String
        public var size: Int64

        public var statement: ArtifactStatement { ArtifactStatement(id: id, arch: arch, digest: digest) }
    }

    public static func make(_ content: Content, signature: String) -> OCIManifest {
        var annotations = [Annotation.id: content.id, Annotation.name: content.name,
                           Annotation.arch: content.arch.rawValue, Annotation.signature: signature]
        annotations[Annotation.variant] = content.variant
        let layer = OCIDescriptor(mediaType: layerMediaType, digest: content.digest, size: content.size,
                                  annotations: [Annotation.title: "\(content.id).tar.xz"])
        return OCIManifest(artifactType: artifactType, config: OCIManifest.emptyConfig, layers: [layer], annotations: annotations)
    }

    /// The layer to pull, once the manifest is found to be package `id` for `arch` and signed
    /// by a trusted key; otherwise the reason it is refused.
    static func acceptedLayer(_ data: Data, id: String, arch: Architecture, trusted: [TrustedKey]) -> Result<OCIDescriptor, Refusal> {
        guard let manifest = try? JSONDecoder().decode(OCIManifest.self, from: data) else {
            return .failure(Refusal("its manifest is not an OCI image manifest"))
        }
        guard manifest.artifactType == artifactType else {
            return .failure(Refusal("its manifest's artifactType is '\(manifest.artifactType ?? "none")', not \(artifactType)"))
        }
        guard manifest.layers.count == 1, let layer = manifest.layers.first, layer.mediaType == layerMediaType,
              layer.digest.hasPrefix("sha256:"), layer.digest.count == 71, layer.size > 0 else {
            return .failure(Refusal("its manifest does not hold exactly one \(layerMediaType) layer with a sha256 digest"))
        }
        let annotations = manifest.annotations ?? [:]
        guard annotations[Annotation.id] == id, annotations[Annotation.arch] == arch.rawValue else {
            return .failure(Refusal("its manifest is for '\(annotations[Annotation.id] ?? "?")' on \(annotations[Annotation.arch] ?? "?"), not \(id) on \(arch.rawValue)"))
        }
        let statement = ArtifactStatement(id: id, arch: arch, digest: layer.digest)
        if let failure = SignatureCheck.failure(annotations[Annotation.signature], statement, trusted: trusted) {
            return .failure(Refusal(failure))
        }
        return .success(layer)
    }

    /// Why an artifact from the registry is not taken.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
