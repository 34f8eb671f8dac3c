import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

extension RegistryClient {
    /// The size of blob `digest` in `repository`, or nil when the registry does not have it.
    public func blobSize(_ repository: String, digest: String) async throws -> Int64? {
        let response = try await send(.HEAD, "/v2/\(repository)/blobs/\(digest)", repository: repository)
        await Self.discard(response)
        switch response.status.code {
        case 200: return response.headers.first(name: "Content-Length").flatMap(Int64.init) ?? 0
        case 404: return nil
        default: throw RegistryError.unexpected(registry: registry, "HEAD blob \(digest) answered \(response.status.code)")
        }
    }

    /// Uploads `file` as blob `digest` (`sha256:<hex>`, computed by the caller) of `size`
    /// bytes: POST opens an upload session, one PUT with `?digest=` sends the whole file,
    /// streamed from disk. The registry checks the digest before it accepts the blob.
    public func pushBlob(_ repository: String, file: URL, digest: String, size: Int64) async throws {
        let opened = try await send(.POST, "/v2/\(repository)/blobs/uploads/", repository: repository,
                                    headers: [("Content-Length", "0")])
        await Self.discard(opened)
        guard opened.status.code == 202, let location = opened.headers.first(name: "Location") else {
            throw RegistryError.unexpected(registry: registry, "opening an upload to \(repository) answered \(opened.status.code)")
        }
        let target = location + (location.contains("?") ? "&" : "?") + "digest=" + digest
        let chunks = FileChunks(file: file)
        let stored = try await send(.PUT, target, repository: repository,
                                    headers: [("Content-Type", "application/octet-stream"), ("Content-Length", String(size))],
                                    body: { .stream(chunks, length: .known(size)) })
        guard stored.status.code == 201 else {
            throw RegistryError.unexpected(registry: registry, "uploading blob \(digest) to \(repository) answered \(stored.status.code): \(await Self.errorText(stored))")
        }
        await Self.discard(stored)
    }

    /// Uploads a small blob held in memory (a manifest's config), unless the registry has it;
    /// the bytes sent.
    @discardableResult
    func pushBlobIfMissing(_ repository: String, data: Data) async throws -> Int64 {
        let digest = "sha256:" + SHA256.hash(data: data).hexString
        if try await blobSize(repository, digest: digest) != nil { return 0 }
        let staged = FileManager.default.temporaryDirectory.child("pkgtree-blob-\(UUID().uuidString)")
        try data.write(to: staged)
        defer { try? FileManager.default.removeItem(at: staged) }
        try await pushBlob(repository, file: staged, digest: digest, size: Int64(data.count))
        return Int64(data.count)
    }

    /// A small blob (an image's config) in memory, with the size and digest `descriptor` says.
    func blob(_ repository: String, _ descriptor: OCIDescriptor, limit: Int) async throws -> Data {
        guard descriptor.size <= Int64(limit) else {
            throw RegistryError.invalidContent(registry: registry, "blob \(descriptor.digest) is said to hold \(descriptor.size) bytes, more than the \(limit) a config may")
        }
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(descriptor.digest)", repository: repository)
        guard response.status.code == 200 else {
            let text = await Self.errorText(response)
            throw RegistryError.unexpected(registry: registry, "GET blob \(descriptor.digest) from \(repository) answered \(response.status.code): \(text)")
        }
        let data: Data
        do {
            data = Data(try await response.body.collect(upTo: Int(descriptor.size)).readableBytesView)
        } catch {
            throw RegistryError.invalidContent(registry: registry, "blob \(descriptor.digest) is longer than the \(descriptor.size) bytes its manifest says, or broke off: \(error)")
        }
        let actual = "sha256:" + SHA256.hash(data: data).hexString
        guard data.count == descriptor.size, actual == descriptor.digest else {
            throw RegistryError.invalidContent(registry: registry, "blob \(descriptor.digest) arrived as \(data.count) bytes with digest \(actual); its manifest says \(descriptor.size) bytes, \(descriptor.digest)")
        }
        return data
    }

    /// Streams blob `digest` into `file`, hashing as it writes: at most `size` bytes are taken,
    /// and a blob of another size or digest is an error (the file is then removed).
    public func pullBlob(_ repository: String, digest: String, size: Int64, to file: URL) async throws {
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(digest)", repository: repository)
        guard response.status.code == 200 else {
            let text = await Self.errorText(response)
            throw RegistryError.unexpected(registry: registry, "GET blob \(digest) from \(repository) answered \(response.status.code): \(text)")
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw IOError(file.path, "cannot create the file to download into")
        }
        do {
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            var hasher = SHA256()
            var received: Int64 = 0
            for try await buffer in response.body {
                received += Int64(buffer.readableBytes)
                guard received <= size else {
                    throw RegistryError.invalidContent(registry: registry, "blob \(digest) is longer than the \(size) bytes its manifest says")
                }
                let bytes = Data(buffer.readableBytesView)
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
            }
            let actual = "sha256:" + hasher.finalize().hexString
            guard received == size, actual == digest else {
                throw RegistryError.invalidContent(registry: registry, "blob \(digest) arrived as \(received) bytes with digest \(actual); its manifest says \(size) bytes, \(digest)")
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw Self.transportError(error, registry: registry)
        }
    }
}
