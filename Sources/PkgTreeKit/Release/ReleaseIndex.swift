import Foundation

/// `release.json`: a multi-architecture index in the spirit of an OCI image index (a Docker
/// manifest list): one manifest per platform and tree variant, naming its bootstrap file
/// with digest and size, the bootstrap id and the package ids. `docs/release.schema.json`
/// describes it.
public struct ReleaseIndex: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1
    public static let releaseMediaType = "application/vnd.pkgtree.release.index.v1+json"

    public var schemaVersion: Int
    public var mediaType: String
    /// SHA-256 of the manifests: the same bootstraps make the same release id.
    public var releaseID: String
    public var manifests: [ReleaseManifest]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", mediaType = "media_type", releaseID = "release_id", manifests
    }

    public init(manifests: [ReleaseManifest]) throws {
        schemaVersion = Self.currentSchemaVersion
        mediaType = Self.releaseMediaType
        self.manifests = manifests.sorted { ($0.arch, $0.treeVariant ?? "") < ($1.arch, $1.treeVariant ?? "") }
        releaseID = try Self.digest(of: self.manifests)
    }

    /// The manifest of `arch` and `variant` (nil: the default tree variant).
    public func manifest(arch: Architecture, variant: String?) -> ReleaseManifest? {
        manifests.first { $0.arch == arch.rawValue && $0.treeVariant == variant }
    }

    public func encoded() throws -> Data {
        try Self.encoder.encode(self) + Data("\n".utf8)
    }

    public static func read(_ url: URL) throws -> ReleaseIndex {
        do {
            return try JSONDecoder().decode(ReleaseIndex.self, from: Data(contentsOf: url))
        } catch {
            throw Problems([Problem(file: DisplayPath.of(url), "is not a pkgtree release.json: \(SystemError.reason(error))",
                                    hint: "name a release directory written by `pkgtree release create`")])
        }
    }

    /// Sorted keys and no whitespace tricks: the same release is the same bytes.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()

    private static func digest(of manifests: [ReleaseManifest]) throws -> String {
        let bytes = try encoder.encode(manifests)
        return FileHasher.sha256(bytes)
    }
}

/// One platform's bootstrap in a release.
public struct ReleaseManifest: Codable, Sendable, Equatable {
    public typealias Platform = OCIPlatform

    /// A file of the release, relative to its directory.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        /// `sha256:<hex>`, as OCI descriptors write it.
        public var digest: String
        public var size: Int64

        public var sha256: String? {
            digest.hasPrefix("sha256:") ? String(digest.dropFirst("sha256:".count)) : nil
        }
    }

    public var platform: Platform
    /// pkgtree's architecture name (`x86_64`, `aarch64`).
    public var arch: String
    /// The tree variant; nil for the default `treeinfo.json`.
    public var treeVariant: String?
    public var installRoot: String
    public var bootstrapID: String
    public var bootstrap: File
    public var activeList: File
    /// `<arch>/<bootstrap_id>.spdx.json`, the bootstrap's SPDX 2.3 SBOM (nil in releases made
    /// before pkgtree wrote SBOMs).
    public var sbom: File?
    /// Ids of the packages in the bootstrap, sorted.
    public var packages: [String]

    enum CodingKeys: String, CodingKey {
        case platform, arch, treeVariant = "tree_variant", installRoot = "install_root", bootstrapID = "bootstrap_id"
        case bootstrap, activeList = "active_list", sbom, packages
    }

    public init(arch: Architecture, treeVariant: String?, installRoot: String, bootstrapID: String,
                bootstrap: File, activeList: File, sbom: File?, packages: [String]) {
        platform = arch.imagePlatform
        self.arch = arch.rawValue
        self.treeVariant = treeVariant
        self.installRoot = installRoot
        self.bootstrapID = bootstrapID
        self.bootstrap = bootstrap
        self.activeList = activeList
        self.sbom = sbom
        self.packages = packages
    }

    /// Encodes `tree_variant` (and `sbom`) as null rather than leaving it out, so every
    /// manifest has the same keys.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(platform, forKey: .platform)
        try container.encode(arch, forKey: .arch)
        try container.encode(treeVariant, forKey: .treeVariant)
        try container.encode(installRoot, forKey: .installRoot)
        try container.encode(bootstrapID, forKey: .bootstrapID)
        try container.encode(bootstrap, forKey: .bootstrap)
        try container.encode(activeList, forKey: .activeList)
        try container.encode(sbom, forKey: .sbom)
        try container.encode(packages, forKey: .packages)
    }
}
