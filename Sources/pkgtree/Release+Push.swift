import ArgumentParser
import Foundation
import PkgTreeKit

extension Release {
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a release to an OCI registry: an image index with one runnable image per platform, the release's files attached.",
            discussion: """
                Each platform's bootstrap becomes an image whose one layer holds it under the install root, with the \
                platform in its config and the bootstrap and package ids as annotations; `podman pull --platform \
                linux/arm64 HOST/REPO:TAG` takes the arm64 one. release.json, SHA256SUMS, its signature and the SBOMs \
                are attached to the index as an artifact, found through the referrers tag sha256-<hex>. Blobs and \
                manifests go first, the tag last. Credentials come from the podman/docker login files. Exit 1 when \
                the registry fails or refuses, 2 for bad input (docs/release.md).
                """)

        @Argument(help: ArgumentHelp("The release directory (or its release.json).", valueName: "release"))
        var release: String

        @Argument(help: ArgumentHelp("Where to publish: oci://HOST[:PORT]/REPO:TAG.", valueName: "destination"))
        var destination: String

        @Option(help: ArgumentHelp("The tree variant whose bootstraps become the images. Default: the default tree (treeinfo.json).", valueName: "variant"))
        var variant: String?

        @Option(name: .customLong("layer-compression"),
                help: ArgumentHelp("How layers are stored: gzip (every engine), zstd (podman, Docker 23+) or none.", valueName: "gzip|zstd|none"))
        var compression: ImageLayer.Compression = .gzip

        @OptionGroup var tls: RegistryTLSOptions

        func run() async throws {
            let directory = try ReleaseList.directory(named: release)
            let target = try ReleaseDestination(parsing: destination, source: "destination")
            let index = try ReleaseIndex.read(directory.appendingPathComponent(ReleaseWriter.indexName))
            let push = ReleasePush(directory: directory, index: index, treeVariant: variant, compression: compression,
                                   scratch: FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-push-\(index.releaseID.prefix(16))-\(UUID().uuidString)"))
            _ = try push.manifests  // a missing variant is bad input, said before connecting
            do {
                let result = try await closing(try await RegistryClient.connect(target.location, tls: tls.settings)) { client in
                    try await push.push(to: target, client: client) { Console.output($0 + "\n") }
                }
                Console.output("""
                    pushed release \(index.releaseID.prefix(16)) to \(target) as index \(result.indexDigest) \
                    (\(result.images.map(\.platform).joined(separator: ", "))), \(ByteCount.text(result.uploaded)) uploaded
                    pull it with: podman pull --platform \(result.images.first?.platform ?? "linux/amd64") \(target.imageReference)

                    """)
            } catch let error as RegistryError {
                Console.error("pkgtree: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}

extension ImageLayer.Compression: ExpressibleByArgument {}
