import Crypto
import Foundation

/// A one-layer image archive as `docker load` and `podman load` read it (the docker-archive
/// format): the root filesystem tarball as the layer, an image config that names the platform,
/// and `manifest.json` tagging it. `docker import --platform` on Docker 20.10 records the
/// host's platform whatever it is told, and a `run --platform` of another one then looks for
/// the image in a registry; a loaded config says what the image is.
///
/// Streamed: the layer is copied from the tarball in 1 MiB blocks and hashed on the way (its
/// sha256 is the config's `diff_id`), so the config and the manifest come after it; both
/// engines unpack the whole archive before they read the manifest. The image id (the config's
/// sha256) depends only on the tarball and the platform.
public enum ImageArchive {
    public typealias Platform = OCIPlatform

    static let layerPath = "layer.tar"

    /// Writes the archive of `rootfs` tagged `reference` to `destination` (a plain tar) and
    /// returns the image id (`sha256:…` of the config).
    @discardableResult
    public static func write(rootfs: URL, reference: String, platform: Platform, to destination: URL) throws -> String {
        let writer = try ArchiveWriter(writingTo: destination, options: PackOptions(filter: .none))
        var layer = SHA256()
        try writer.add(file: layerPath, from: rootfs, mode: 0o644) { layer.update(bufferPointer: $0) }
        let config = try configJSON(diffID: "sha256:" + layer.finalize().hexString, platform: platform)
        let configDigest = SHA256.hash(data: config).hexString
        try writer.add(file: "\(configDigest).json", contents: config)
        try writer.add(file: "manifest.json", contents: try manifestJSON(config: "\(configDigest).json", reference: reference))
        try writer.finish()
        return "sha256:\(configDigest)"
    }

    private struct ManifestEntry: Encodable {
        var config: String
        var repoTags: [String]
        var layers: [String]

        enum CodingKeys: String, CodingKey {
            case config = "Config", repoTags = "RepoTags", layers = "Layers"
        }
    }

    /// No entrypoint, no environment: what `docker import` of the same tarball gives.
    static func configJSON(diffID: String, platform: Platform) throws -> Data {
        OCIImageConfig(platform: platform, diffIDs: [diffID]).encoded()
    }

    static func manifestJSON(config: String, reference: String) throws -> Data {
        OCIJSON.encode([ManifestEntry(config: config, repoTags: [reference], layers: [layerPath])])
    }
}
