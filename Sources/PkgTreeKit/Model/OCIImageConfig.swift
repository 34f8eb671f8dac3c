import Foundation

/// The platform an image runs on, as image configs, image indexes and release.json name it
/// (`linux`, `arm64`, and for 32-bit ARM a `variant`).
public struct OCIPlatform: Codable, Sendable, Hashable {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// `os/architecture[/variant]`.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}

extension Architecture {
    /// The platform as an image config records it.
    public var imagePlatform: OCIPlatform {
        let parts = ociPlatform.split(separator: "/").map(String.init)
        return OCIPlatform(os: parts[0], architecture: parts[1], variant: parts.count > 2 ? parts[2] : nil)
    }
}

/// An OCI image configuration (image-spec `config.md`): the platform an engine picks the image
/// by, what a container gets by default, the uncompressed digests of the layers, and one
/// history entry per layer. No `created` time anywhere: the same layers make the same config,
/// and image id. The history is not decoration: buildah (podman 4.3, Debian 12's) refuses to
/// commit any step of a `podman build` FROM an image whose history lists fewer non-empty
/// layers than it has ("history lists 0 non-empty layers, but we have 1 layers on disk").
public struct OCIImageConfig: Codable, Sendable, Hashable {
    public static let mediaType = "application/vnd.oci.image.config.v1+json"

    /// What a container of the image gets unless told otherwise; all left out: `{}`.
    public struct Defaults: Codable, Sendable, Hashable {
        public var Env: [String]?
        public var WorkingDir: String?
        public var Labels: [String: String]?

        public init(Env: [String]? = nil, WorkingDir: String? = nil, Labels: [String: String]? = nil) {
            self.Env = Env
            self.WorkingDir = WorkingDir
            self.Labels = Labels
        }
    }

    public struct RootFS: Codable, Sendable, Hashable {
        public var type = "layers"
        public var diffIDs: [String]

        enum CodingKeys: String, CodingKey {
            case type, diffIDs = "diff_ids"
        }
    }

    /// What made a layer (`created_by`); every entry here stands for one layer.
    public struct History: Codable, Sendable, Hashable {
        public var createdBy: String

        enum CodingKeys: String, CodingKey {
            case createdBy = "created_by"
        }
    }

    public var architecture: String
    public var os: String
    public var variant: String?
    public var config: Defaults
    public var rootfs: RootFS
    /// Optional in the spec, and absent from many registry images' configs.
    public var history: [History]?

    /// `createdBy` says what made the layers, one entry for each.
    public init(platform: OCIPlatform, config: Defaults = Defaults(), diffIDs: [String], createdBy: String) {
        architecture = platform.architecture
        os = platform.os
        variant = platform.variant
        self.config = config
        rootfs = RootFS(diffIDs: diffIDs)
        history = diffIDs.map { _ in History(createdBy: createdBy) }
    }

    public func encoded() -> Data {
        OCIJSON.encode(self)
    }
}

/// JSON as pkgtree writes OCI documents: keys sorted, so the same content is the same bytes
/// and digest, whoever writes it.
enum OCIJSON {
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(value)  // plain strings, numbers and maps: cannot fail
    }
}
