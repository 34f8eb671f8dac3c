import Foundation

/// One platform's runnable image of a release (docs/release.md): the bootstrap as its one
/// layer under the install root, a config naming the platform with the install root's `bin`
/// and `lib` on `PATH` and `LD_LIBRARY_PATH` (as the bootstrap's `environment` file has them),
/// and the bootstrap's id and package ids as annotations.
public struct ReleaseImage: Sendable {
    public var manifest: ReleaseManifest
    public var layer: ImageLayer.Result
    public var compression: ImageLayer.Compression
    public var releaseID: String

    public enum Annotation {
        public static let releaseID = "org.pkgtree.release.id"
        public static let bootstrapID = "org.pkgtree.bootstrap.id"
        public static let arch = "org.pkgtree.bootstrap.arch"
        public static let treeVariant = "org.pkgtree.bootstrap.tree_variant"
        public static let installRoot = "org.pkgtree.bootstrap.install_root"
        /// The package ids, sorted, separated by commas.
        public static let packages = "org.pkgtree.bootstrap.packages"
        static let title = "org.opencontainers.image.title"
    }

    public var platform: OCIPlatform { manifest.platform }

    /// What says which bootstrap this is: on the image manifest and on its entry in the index.
    public var annotations: [String: String] {
        var annotations = [Annotation.releaseID: releaseID, Annotation.bootstrapID: manifest.bootstrapID,
                           Annotation.arch: manifest.arch, Annotation.installRoot: manifest.installRoot,
                           Annotation.packages: manifest.packages.sorted().joined(separator: ",")]
        annotations[Annotation.treeVariant] = manifest.treeVariant
        return annotations
    }

    public var config: Data {
        let root = manifest.installRoot
        let defaults = OCIImageConfig.Defaults(
            Env: ["PATH=\(root)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LD_LIBRARY_PATH=\(root)/lib"],
            WorkingDir: root,
            Labels: [Annotation.releaseID: releaseID, Annotation.bootstrapID: manifest.bootstrapID])
        return OCIImageConfig(platform: platform, config: defaults, diffIDs: [layer.diffID],
                              createdBy: "pkgtree release push: bootstrap \(manifest.bootstrapID)").encoded()
    }

    public var layerDescriptor: OCIDescriptor {
        OCIDescriptor(mediaType: compression.mediaType, digest: layer.digest, size: layer.size,
                      annotations: [Annotation.title: "\(manifest.bootstrapID).layer.tar"])
    }

    public var imageManifest: Data {
        OCIManifest(mediaType: OCIManifest.mediaType, config: .of(config, mediaType: OCIImageConfig.mediaType),
                    layers: [layerDescriptor], annotations: annotations).encoded()
    }

    /// The entry of this image in the release's index.
    public var indexEntry: OCIDescriptor {
        var entry = OCIDescriptor.of(imageManifest, mediaType: OCIManifest.mediaType, annotations: annotations)
        entry.platform = platform
        return entry
    }
}
