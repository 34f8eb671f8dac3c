import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

extension RegistryClient {
    /// A manifest as the registry holds it: its exact bytes, media type and digest.
    public struct Manifest: Sendable {
        public var data: Data
        public var mediaType: String
        public var digest: String
    }

    /// distribution caps manifests at 4 MiB; so does this client.
    static let manifestLimit = 4 << 20

    /// Manifest `reference` (a tag or a digest) of `repository`, or nil when there is none.
    /// Fetched by digest, the bytes must hash to it.
    public func manifest(_ repository: String, reference: String, accepting mediaTypes: [String]) async throws -> Manifest? {
        let response = try await send(.GET, "/v2/\(repository)/manifests/\(reference)", repository: repository,
                                      headers: [("Accept", mediaTypes.joined(separator: ", "))])
        switch response.status.code {
        case 200: break
        case 404:
            await Self.discard(response)
            return nil
        default:
            throw RegistryError.unexpected(registry: registry, "GET manifest \(repository):\(reference) answered \(response.status.code): \(await Self.errorText(response))")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.manifestLimit)
        } catch {
            throw RegistryError.invalidContent(registry: registry, "manifest \(repository):\(reference) is larger than 4 MiB or broke off: \(error)")
        }
        let data = Data(body.readableBytesView)
        let digest = "sha256:" + SHA256.hash(data: data).hexString
        if reference.hasPrefix("sha256:"), reference != digest {
            throw RegistryError.invalidContent(registry: registry, "manifest \(reference) of \(repository) hashes to \(digest)")
        }
        let mediaType = response.headers.first(name: "Content-Type") ?? ""
        return Manifest(data: data, mediaType: mediaType, digest: digest)
    }

    /// The digest manifest `reference` has in `repository`, or nil when there is none (HEAD).
    public func manifestDigest(_ repository: String, reference: String, accepting mediaTypes: [String]) async throws -> String? {
        let response = try await send(.HEAD, "/v2/\(repository)/manifests/\(reference)", repository: repository,
                                      headers: [("Accept", mediaTypes.joined(separator: ", "))])
        await Self.discard(response)
        switch response.status.code {
        case 200: return response.headers.first(name: "Docker-Content-Digest")
        case 404: return nil
        default: throw RegistryError.unexpected(registry: registry, "HEAD manifest \(repository):\(reference) answered \(response.status.code)")
        }
    }

    /// Stores `data` as manifest `reference` (a tag, or its own digest) with `mediaType` as
    /// Content-Type, which is how the registry picks the parser; returns the digest.
    @discardableResult
    public func putManifest(_ repository: String, reference: String, data: Data, mediaType: String) async throws -> String {
        let digest = "sha256:" + SHA256.hash(data: data).hexString
        let response = try await send(.PUT, "/v2/\(repository)/manifests/\(reference)", repository: repository,
                                      headers: [("Content-Type", mediaType), ("Content-Length", String(data.count))],
                                      body: { .bytes(ByteBuffer(bytes: data)) })
        guard response.status.code == 201 else {
            throw RegistryError.unexpected(registry: registry, "PUT manifest \(repository):\(reference) answered \(response.status.code): \(await Self.errorText(response))")
        }
        await Self.discard(response)
        if let stored = response.headers.first(name: "Docker-Content-Digest"), stored != digest {
            throw RegistryError.invalidContent(registry: registry, "it stored manifest \(repository):\(reference) as \(stored), not \(digest)")
        }
        return digest
    }

    /// Every tag of `repository` (none when it does not exist), following `Link` pages.
    public func tags(_ repository: String) async throws -> [String] {
        var tags: [String] = []
        var target: String? = "/v2/\(repository)/tags/list?n=1000"
        while let next = target {
            let response = try await send(.GET, next, repository: repository)
            if response.status.code == 404 {
                await Self.discard(response)
                return tags
            }
            guard response.status.code == 200 else {
                throw RegistryError.unexpected(registry: registry, "GET tags of \(repository) answered \(response.status.code)")
            }
            struct Page: Decodable { var tags: [String]? }
            let body = try await response.body.collect(upTo: 16 << 20)
            guard let page = try? JSONDecoder().decode(Page.self, from: Data(body.readableBytesView)) else {
                throw RegistryError.invalidContent(registry: registry, "the tag list of \(repository) is not JSON")
            }
            tags += page.tags ?? []
            target = response.headers.first(name: "Link").flatMap(Self.nextLink)
        }
        return tags
    }

    /// `</v2/…/tags/list?n=1000&last=x>; rel="next"` → the link.
    static func nextLink(_ header: String) -> String? {
        guard header.contains("rel=\"next\""), let start = header.firstIndex(of: "<"),
              let end = header.firstIndex(of: ">"), start < end else { return nil }
        return String(header[header.index(after: start)..<end])
    }
}
