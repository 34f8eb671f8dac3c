import Foundation

/// Publishes a release to an OCI registry (docs/release.md): an image index with one
/// runnable image per platform, the release's files attached to it, and the tag.
///
/// Children first, the tag last: each image's layer and config blobs, then its manifest by
/// digest; the index by digest; the attachment's blobs and manifest, and the referrers index
/// under `sha256-<hex>`; only then the tag. A push broken off at any point leaves the tag
/// where it was (or absent), never pointing at content the registry lacks, and the next push
/// completes it (blobs the registry has are not sent again).
public struct ReleasePush: Sendable {
    public var directory: URL
    public var index: ReleaseIndex
    /// The tree variant whose bootstraps become the images (nil: the default tree).
    public var treeVariant: String?
    public var compression: ImageLayer.Compression
    /// Where the layers are made before they are sent (removed afterwards).
    public var scratch: URL

    public init(directory: URL, index: ReleaseIndex, treeVariant: String?, compression: ImageLayer.Compression, scratch: URL) {
        self.directory = directory
        self.index = index
        self.treeVariant = treeVariant
        self.compression = compression
        self.scratch = scratch
    }

    public struct Result: Sendable {
        public var indexDigest: String
        public var images: [(platform: String, digest: String, layerSize: Int64)]
        public var attachmentDigest: String
        public var referrersTag: String
        /// Blob bytes sent (blobs the registry had are not).
        public var uploaded: Int64
    }

    /// The manifests of the tree variant; a release without one is bad input.
    public var manifests: [ReleaseManifest] {
        get throws {
            let chosen = index.manifests.filter { $0.treeVariant == treeVariant }
            guard !chosen.isEmpty else {
                let variants = Set(index.manifests.map { $0.treeVariant ?? "(default)" }).sorted()
                throw Problems([Problem(field: "--variant", "release \(index.releaseID.prefix(16)) has no bootstrap of tree variant \(treeVariant ?? "(default)")",
                                        hint: "it has: \(variants.joined(separator: ", ")); pass --variant with one of them")])
            }
            return chosen
        }
    }

    public func push(to destination: ReleaseDestination, client: RegistryClient, say: (String) -> Void) async throws -> Result {
        let repository = destination.location.repository
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var uploaded: Int64 = 0
        var images: [ReleaseImage] = []
        for manifest in try manifests {
            let image = try makeImage(manifest)
            uploaded += try await pushBlob(repository, image.layer.file, digest: image.layer.digest, size: image.layer.size, client)
            uploaded += try await client.pushBlobIfMissing(repository, data: image.config)
            try await client.putManifest(repository, reference: image.indexEntry.digest, data: image.imageManifest, mediaType: OCIManifest.mediaType)
            try? FileManager.default.removeItem(at: image.layer.file)
            say("pushed \(image.platform.os)/\(image.platform.architecture) image \(image.indexEntry.digest) (layer \(image.layer.size) bytes, \(compression.rawValue))")
            images.append(image)
        }
        let indexData = OCIImageIndex(manifests: images.map(\.indexEntry),
                                      annotations: [ReleaseImage.Annotation.releaseID: index.releaseID]).encoded()
        let indexDescriptor = OCIDescriptor.of(indexData, mediaType: OCIImageIndex.mediaType)
        try await client.putManifest(repository, reference: indexDescriptor.digest, data: indexData, mediaType: OCIImageIndex.mediaType)

        let attachment = ReleaseAttachment(files: try ReleaseAttachment.files(of: directory, manifests: try manifests), releaseID: index.releaseID)
        uploaded += try await client.pushBlobIfMissing(repository, data: OCIManifest.emptyConfigData)
        for file in attachment.files {
            uploaded += try await pushBlob(repository, file.url, digest: file.digest, size: file.size, client)
        }
        let attachmentData = attachment.manifest(subject: indexDescriptor)
        let attachmentDescriptor = OCIDescriptor.of(attachmentData, mediaType: OCIManifest.mediaType, artifactType: ReleaseAttachment.artifactType,
                                                    annotations: [ReleaseImage.Annotation.releaseID: index.releaseID])
        try await client.putManifest(repository, reference: attachmentDescriptor.digest, data: attachmentData, mediaType: OCIManifest.mediaType)
        let referrersTag = ReleaseAttachment.referrersTag(of: indexDescriptor.digest)
        let existing = try await client.manifest(repository, reference: referrersTag, accepting: [OCIImageIndex.mediaType])
        try await client.putManifest(repository, reference: referrersTag, data: ReleaseAttachment.referrers(adding: attachmentDescriptor, to: existing?.data),
                                     mediaType: OCIImageIndex.mediaType)
        say("attached \(attachment.files.map(\.path).joined(separator: ", ")) as \(attachmentDescriptor.digest) (referrers tag \(referrersTag))")

        try await client.putManifest(repository, reference: destination.tag, data: indexData, mediaType: OCIImageIndex.mediaType)
        return Result(indexDigest: indexDescriptor.digest,
                      images: images.map { ("\($0.platform.os)/\($0.platform.architecture)", $0.indexEntry.digest, $0.layer.size) },
                      attachmentDigest: attachmentDescriptor.digest, referrersTag: referrersTag, uploaded: uploaded)
    }

    /// The layer of `manifest`'s bootstrap, after checking the tarball is the one release.json names.
    private func makeImage(_ manifest: ReleaseManifest) throws -> ReleaseImage {
        let tarball = directory.child(manifest.bootstrap.path)
        let actual = FileStatus.of(tarball.path) == nil ? nil : "sha256:" + (try FileHasher.sha256(tarball))
        guard actual == manifest.bootstrap.digest else {
            throw UserFacingError("pushing the release", path: tarball,
                                  actual == nil ? "is missing" : "has digest \(actual!), not the \(manifest.bootstrap.digest) release.json names",
                                  remedy: "the release is damaged; `pkgtree release verify` checks all of it, `pkgtree release create` makes it again",
                                  cause: .failedWork)
        }
        let layer = try ImageLayer.write(bootstrap: tarball, installRoot: manifest.installRoot, compression: compression,
                                         to: scratch.child("\(manifest.bootstrapID).layer"), scratch: scratch.child("\(manifest.bootstrapID).tar"))
        return ReleaseImage(manifest: manifest, layer: layer, compression: compression, releaseID: index.releaseID)
    }

    /// Sends a blob unless the registry has it; the bytes sent.
    private func pushBlob(_ repository: String, _ file: URL, digest: String, size: Int64, _ client: RegistryClient) async throws -> Int64 {
        if try await client.blobSize(repository, digest: digest) != nil { return 0 }
        try await client.pushBlob(repository, file: file, digest: digest, size: size)
        return size
    }
}
