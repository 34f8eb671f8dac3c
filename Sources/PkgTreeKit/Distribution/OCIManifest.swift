import Foundation

/// An OCI content descriptor: what a manifest says about a blob, or an index about a manifest.
public struct OCIDescriptor: Codable, Sendable, Hashable {
    public var mediaType: String
    public var digest: String
    public var size: Int64
    /// In an image index: the platform the manifest is for.
    public var platform: OCIPlatform?
    /// In an index of referrers: what kind of artifact the manifest is.
    public var artifactType: String?
    public var annotations: [String: String]?

    public init(mediaType: String, digest: String, size: Int64, platform: OCIPlatform? = nil,
                artifactType: String? = nil, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.artifactType = artifactType
        self.annotations = annotations
    }

    /// The descriptor of `data`, a manifest or a small blob held in memory.
    public static func of(_ data: Data, mediaType: String, artifactType: String? = nil,
                          annotations: [String: String]? = nil) -> OCIDescriptor {
        OCIDescriptor(mediaType: mediaType, digest: "sha256:" + FileHasher.sha256(data), size: Int64(data.count),
                      artifactType: artifactType, annotations: annotations)
    }
}

/// An OCI image manifest (image-spec 1.1), used as an artifact manifest: `artifactType` names
/// what it holds, the config is the empty descriptor, the layers are the content.
public struct OCIManifest: Codable, Sendable, Hashable {
    public static let mediaType = "application/vnd.oci.image.manifest.v1+json"
    /// The empty JSON object `{}`, the config of an artifact that needs none (image-spec 1.1).
    public static let emptyConfigData = Data("{}".utf8)
    public static let emptyConfig = OCIDescriptor(
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", size: 2)

    public var schemaVersion = 2
    public var mediaType: String? = OCIManifest.mediaType
    public var artifactType: String?
    public var config: OCIDescriptor
    public var layers: [OCIDescriptor]
    /// The manifest this one refers to (an attachment's subject, for the referrers API).
    public var subject: OCIDescriptor?
    public var annotations: [String: String]?

    /// The bytes pushed: keys sorted, so the same artifact always gives the same manifest
    /// digest, whoever pushes it.
    public func encoded() -> Data {
        OCIJSON.encode(self)
    }
}

/// An OCI image index (a manifest list): one manifest per platform, or the referrers of a
/// manifest under the tag-schema fallback (distribution-spec 1.1).
public struct OCIImageIndex: Codable, Sendable, Hashable {
    public static let mediaType = "application/vnd.oci.image.index.v1+json"

    public var schemaVersion = 2
    public var mediaType: String? = OCIImageIndex.mediaType
    public var manifests: [OCIDescriptor]
    public var annotations: [String: String]?

    public init(manifests: [OCIDescriptor], annotations: [String: String]? = nil) {
        self.manifests = manifests
        self.annotations = annotations
    }

    public func encoded() -> Data {
        OCIJSON.encode(self)
    }
}
