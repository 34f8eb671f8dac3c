import Foundation

/// The release's own files, attached to its image index as one OCI artifact: `release.json`,
/// `SHA256SUMS`, its signature when there is one, and the SBOM of each image's bootstrap. The
/// artifact manifest names the index as its `subject`; since distribution 2.8 has no referrers
/// API, it is found through the referrers tag schema: the tag `sha256-<hex of the index
/// digest>` holds an index listing the referrers (distribution-spec 1.1).
public struct ReleaseAttachment: Sendable {
    public static let artifactType = "application/vnd.pkgtree.release.v1"

    public struct File: Sendable {
        /// Relative to the release directory; also the layer's title.
        public var path: String
        public var url: URL
        public var mediaType: String
        public var digest: String
        public var size: Int64
    }

    public var files: [File]
    public var releaseID: String

    /// The files of `release` for the images of `manifests`.
    public static func files(of release: URL, manifests: [ReleaseManifest]) throws -> [File] {
        var wanted = [(ReleaseWriter.indexName, ReleaseIndex.releaseMediaType), (ReleaseWriter.checksumsName, "text/plain; charset=utf-8")]
        if FileStatus.of(release.child(ReleaseSignature.fileName).path) != nil {
            wanted.append((ReleaseSignature.fileName, ReleaseSignature.mediaType))
        }
        wanted += manifests.compactMap(\.sbom).map { ($0.path, ReleaseSBOM.mediaType) }
        return try wanted.map { path, mediaType in
            let url = release.child(path)
            guard let status = FileStatus.of(url.path), status.kind == .regular else {
                throw Problems([Problem(file: DisplayPath.of(url), "is missing from the release",
                                        hint: "`pkgtree release verify` checks a release; `pkgtree release create` makes it again")])
            }
            return File(path: path, url: url, mediaType: mediaType, digest: "sha256:" + (try FileHasher.sha256(url)), size: status.size)
        }
    }

    /// The artifact manifest, with `subject` the release's index.
    public func manifest(subject: OCIDescriptor) -> Data {
        let layers = files.map {
            OCIDescriptor(mediaType: $0.mediaType, digest: $0.digest, size: $0.size,
                          annotations: [ReleaseImage.Annotation.title: $0.path])
        }
        return OCIManifest(artifactType: Self.artifactType, config: OCIManifest.emptyConfig, layers: layers,
                           subject: subject, annotations: [ReleaseImage.Annotation.releaseID: releaseID]).encoded()
    }

    /// The tag that lists the referrers of `digest` (`sha256:<hex>` → `sha256-<hex>`).
    public static func referrersTag(of digest: String) -> String {
        digest.replacingOccurrences(of: ":", with: "-")
    }

    /// The referrers index with `entry` added to what `existing` (the tag's current index, if
    /// any) lists: other tools' referrers stay, a second push of the same artifact adds nothing.
    static func referrers(adding entry: OCIDescriptor, to existing: Data?) -> Data {
        var manifests = existing.flatMap { try? JSONDecoder().decode(OCIImageIndex.self, from: $0) }?.manifests ?? []
        if !manifests.contains(where: { $0.digest == entry.digest }) { manifests.append(entry) }
        return OCIImageIndex(manifests: manifests).encoded()
    }
}
