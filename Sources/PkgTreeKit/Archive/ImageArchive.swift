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
    /// returns the image id (`sha256:…` of the config). `environment` (`KEY=value` lines) is the
    /// config's `Env`: what a recipe's `environment` gives every container and every image
    /// built on this one.
    @discardableResult
    public static func write(rootfs: URL, reference: String, platform: Platform, environment: [String] = [],
                             to destination: URL) throws -> String {
        let writer = try ArchiveWriter(writingTo: destination, options: PackOptions(filter: .none))
        var layer = SHA256()
        try writer.add(file: layerPath, from: rootfs, mode: 0o644) { layer.update(bufferPointer: $0) }
        let config = try configJSON(diffID: "sha256:" + layer.finalize().hexString, platform: platform, environment: environment)
        let configDigest = SHA256.hash(data: config).hexString
        try writer.add(file: "\(configDigest).json", contents: config)
        try writer.add(file: "manifest.json", contents: try manifestJSON(config: "\(configDigest).json", reference: reference))
        try writer.finish()
        return "sha256:\(configDigest)"
    }

    /// Writes the archive of an image pulled from a registry, tagged `reference`: its config
    /// and layer blobs as the registry held them, compressed or not (both engines' `load`
    /// detect the compression and check each layer against the config's `diff_ids`), so the
    /// image id is the registry's.
    public static func write(config: Data, layers: [URL], reference: String, to destination: URL) throws {
        let writer = try ArchiveWriter(writingTo: destination, options: PackOptions(filter: .none))
        var layerPaths: [String] = []
        for (position, layer) in layers.enumerated() {
            layerPaths.append("layer-\(position).tar")
            try writer.add(file: layerPaths[position], from: layer, mode: 0o644)
        }
        let configPath = "\(SHA256.hash(data: config).hexString).json"
        try writer.add(file: configPath, contents: config)
        try writer.add(file: "manifest.json", contents: OCIJSON.encode([ManifestEntry(config: configPath, repoTags: [reference], layers: layerPaths)]))
        try writer.finish()
    }

    private struct ManifestEntry: Encodable {
        var config: String
        var repoTags: [String]
        var layers: [String]

        enum CodingKeys: String, CodingKey {
            case config = "Config", repoTags = "RepoTags", layers = "Layers"
        }
    }

    /// No entrypoint, and no environment unless the recipe sets one (`Env`, `KEY=value`
    /// lines): what `docker import` of the same tarball gives. Empty, it is `{}`, as before
    /// recipes had an environment.
    static func configJSON(diffID: String, platform: Platform, environment: [String] = []) throws -> Data {
        OCIImageConfig(platform: platform, config: .init(Env: environment.isEmpty ? nil : environment), diffIDs: [diffID],
                       createdBy: "pkgtree image build: the root filesystem").encoded()
    }

    static func manifestJSON(config: String, reference: String) throws -> Data {
        OCIJSON.encode([ManifestEntry(config: config, repoTags: [reference], layers: [layerPath])])
    }
}
