import Crypto
import Foundation

/// An OCI image layer made from a bootstrap tarball: the bootstrap's entries (relative to the
/// install root) re-packed under the install root (`opt/pkgtree/…` for `/opt/pkgtree`), so the
/// image's root filesystem is a node's after `tar -xf <bootstrap> -C <install_root>`.
///
/// Streamed: the bootstrap's entries go into a plain tar (hashed for the config's `diff_id`),
/// which is then compressed into the blob in one more pass. Headers are rewritten as every
/// archive pkgtree writes (owner 0:0, the options' mtime), so a release gives the same layer
/// bytes, and the same image digests, on every push.
public enum ImageLayer {
    /// How the layer is stored: the three layer media types every OCI engine reads (zstd
    /// needs podman, or Docker 23 and later).
    public enum Compression: String, Sendable, CaseIterable {
        case gzip, zstd, none

        public var mediaType: String {
            switch self {
            case .gzip: "application/vnd.oci.image.layer.v1.tar+gzip"
            case .zstd: "application/vnd.oci.image.layer.v1.tar+zstd"
            case .none: "application/vnd.oci.image.layer.v1.tar"
            }
        }

        /// The compressor's options: gzip's and zstd's own default levels.
        var options: PackOptions? {
            switch self {
            case .gzip: PackOptions(filter: .gzip, format: .raw, compressionLevel: 6)
            case .zstd: PackOptions(filter: .zstd, format: .raw, compressionLevel: 3)
            case .none: nil
            }
        }
    }

    public struct Result: Sendable {
        public var file: URL
        /// `sha256:<hex>` of the blob as stored.
        public var digest: String
        public var size: Int64
        /// `sha256:<hex>` of the uncompressed tar: the image config's `diff_id`.
        public var diffID: String
        public var entryCount: Int
        /// Bytes of the uncompressed tar.
        public var uncompressedSize: Int64
    }

    /// Writes the layer of `bootstrap` for `installRoot` (an absolute path) to `destination`;
    /// `scratch` is a file name it may use for the uncompressed tar (removed afterwards).
    public static func write(bootstrap: URL, installRoot: String, compression: Compression,
                             to destination: URL, scratch: URL) throws -> Result {
        let root = try EntryPath.normalize(String(installRoot.drop { $0 == "/" }), archive: bootstrap.path)
        let tar = compression == .none ? destination : scratch
        defer { if tar != destination { try? FileManager.default.removeItem(at: tar) } }
        let writer = try ArchiveWriter(writingTo: tar, options: PackOptions(filter: .none))
        for directory in EntryPath.parents(root) + (root.isEmpty ? [] : [root]) {
            try writer.add(directory: directory)
        }
        try writer.copyEntries(from: bootstrap, prefix: root) { path, _ in
            // A `.wh.` name is an OCI whiteout: an engine would delete files instead of
            // unpacking this one.
            if EntryPath.components(path).contains(where: { $0.hasPrefix(".wh.") }) {
                throw ArchiveError(.unsupportedEntry, "is named as an OCI whiteout (.wh.*), which no image layer can hold as a file",
                                   archive: bootstrap.path, entry: path)
            }
            return nil
        }
        let packed = try writer.finish()
        let uncompressed = FileStatus.of(tar.path)?.size ?? packed.uncompressedBytes
        guard let options = compression.options else {
            let digest = "sha256:" + (try FileHasher.sha256(tar))
            return Result(file: destination, digest: digest, size: uncompressed, diffID: digest,
                          entryCount: packed.entryCount, uncompressedSize: uncompressed)
        }
        let compressor = try ArchiveWriter(writingTo: destination, options: options)
        var diffID = SHA256()
        try compressor.add(file: "layer.tar", from: tar, mode: 0o644) { diffID.update(bufferPointer: $0) }
        try compressor.finish()
        return Result(file: destination, digest: "sha256:" + (try FileHasher.sha256(destination)),
                      size: FileStatus.of(destination.path)?.size ?? 0, diffID: "sha256:" + diffID.finalize().hexString,
                      entryCount: packed.entryCount, uncompressedSize: uncompressed)
    }
}
