/// An image reference as docker and podman read one, `[HOST[:PORT]/]NAME[:TAG][@sha256:HEX]`:
/// what a package's `docker` field and a `default_builder` string name. The first component
/// names a registry when it holds a `.` or a `:` or is `localhost`; otherwise the image is on
/// Docker Hub (`docker.io`), where a one-component name is an official image
/// (`golang:1.10` is `docker.io/library/golang:1.10`), as the engines resolve short names.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// `HOST[:PORT]` as credentials files and certificate directories name it: `docker.io`
    /// for Docker Hub.
    public var registry: String
    /// The repository in the registry (`library/golang`).
    public var repository: String
    /// The tag; nil when none is written (`latest` is then asked for, unless pinned).
    public var tag: String?
    /// `sha256:<64 hex>` when pinned.
    public var digest: String?
    /// The name as written, without its tag and digest (`golang`, `127.0.0.1:5000/tools/gcc`).
    public var writtenName: String

    public static let dockerHub = "docker.io"
    /// How to write one, for problems.
    static let form = "write NAME:TAG (Docker Hub), HOST[:PORT]/NAME:TAG, or pin it: HOST[:PORT]/NAME@sha256:<64 hex digits>"

    /// Why a text is not an image reference.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public init(parsing text: String) throws(Invalid) {
        var name = Substring(text)
        if let at = text.firstIndex(of: "@") {
            name = text[..<at]
            let digest = String(text[text.index(after: at)...])
            guard Self.isSHA256Digest(digest) else {
                throw Invalid(reason: "has '\(digest)' after '@', which is not a digest (sha256: and 64 lowercase hex digits)")
            }
            self.digest = digest
        }
        let afterSlash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        if let colon = name[afterSlash...].lastIndex(of: ":") {
            let tag = String(name[name.index(after: colon)...])
            guard OCIName.isValidTag(tag) else {
                throw Invalid(reason: "has the tag '\(tag)', which is not a tag (1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)")
            }
            self.tag = tag
            name = name[..<colon]
        }
        writtenName = String(name)
        var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" {
            guard OCIName.isRegistryHost(first) else { throw Invalid(reason: "names the registry '\(first)', which is not HOST or HOST:PORT") }
            registry = first == "index.docker.io" ? Self.dockerHub : first
            components.removeFirst()
        } else {
            registry = Self.dockerHub
        }
        if registry == Self.dockerHub, components.count == 1 { components.insert("library", at: 0) }
        repository = components.joined(separator: "/")
        if repository.isEmpty || components.contains("") {
            throw Invalid(reason: "names no image")
        }
        if let reason = OCIName.invalidRepositoryReason(repository) { throw Invalid(reason: "has a name that \(reason)") }
    }

    /// The host pkgtree connects to: Docker Hub's API is not at `docker.io` itself.
    public var apiHost: String { registry == Self.dockerHub ? "registry-1.docker.io" : registry }

    /// What the registry is asked for: the digest when pinned, else the tag (`latest` unwritten).
    public var manifestReference: String { digest ?? tag ?? "latest" }

    /// The full form: `docker.io/library/golang:1.10`, `127.0.0.1:5000/tools/gcc@sha256:…`.
    public var description: String {
        "\(registry)/\(repository)" + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    static func isSHA256Digest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst("sha256:".count)
        return hex.count == 64 && hex.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
