/// Where `pkgtree release push` publishes: `oci://HOST[:PORT]/REPO:TAG`, as podman and skopeo
/// name an image (`HOST[:PORT]/REPO:TAG`) behind the `oci://` that every pkgtree registry
/// address has. The tag is required: a release never lands on an implicit `latest`.
public struct ReleaseDestination: Sendable, Hashable, CustomStringConvertible {
    public var location: RemoteCacheLocation
    public var tag: String

    public var description: String { "\(location):\(tag)" }
    /// How podman, skopeo and docker name the image.
    public var imageReference: String { "\(location.registry)/\(location.repository):\(tag)" }

    static let form = "oci://HOST[:PORT]/REPO:TAG, for example oci://registry.example:5000/dcos/bootstrap:2.3.0"

    /// Parses the address; a problem names `source` and what to write instead.
    public init(parsing text: String, source: String) throws(Problems) {
        // The tag follows the last `:` after the last `/`; a `:` before that is the port's.
        let afterSlash = text.lastIndex(of: "/").map { text.index(after: $0) } ?? text.endIndex
        guard text.hasPrefix("oci://"), let colon = text[afterSlash...].lastIndex(of: ":") else {
            let reason = text.hasPrefix("oci://") ? "names no tag" : "is not an oci:// address"
            throw Problems([Problem(field: source, "'\(text)' \(reason)", hint: "write \(Self.form)")])
        }
        let tag = String(text[text.index(after: colon)...])
        guard OCIName.isValidTag(tag) else {
            throw Problems([Problem(field: source, "'\(text)' has the tag '\(tag)', which is not an OCI tag",
                                    hint: "a tag is 1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -; write \(Self.form)")])
        }
        location = try RemoteCacheLocation(parsing: String(text[..<colon]), source: source, shown: text, form: Self.form)
        self.tag = tag
    }
}
