import Foundation

/// An OCI content descriptor: what a manifest says about a blob.
public struct OCIDescriptor: Codable, Sendable, Hashable {
    public var mediaType: String
    public var digest: String
    public var size: Int64
    public var annotations: [String: String]?
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
    public var annotations: [String: String]?

    /// The bytes pushed: keys sorted, so the same artifact always gives the same manifest
    /// digest, whoever pushes it.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)  // plain strings and numbers: cannot fail
    }
}
