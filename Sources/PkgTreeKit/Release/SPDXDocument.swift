import Foundation

/// An SPDX 2.3 document in its JSON form (https://spdx.github.io/spdx-spec/v2.3/): the fields
/// pkgtree fills, named as the spec's JSON schema names them. Encoded with sorted keys, so the
/// same bootstrap gives the same bytes.
struct SPDXDocument: Encodable {
    struct CreationInfo: Encodable {
        var created: String
        var creators: [String]
    }

    struct Checksum: Encodable, Hashable {
        /// `SHA256`, `SHA1`, as SPDX spells them.
        var algorithm: String
        var checksumValue: String
    }

    struct Package: Encodable {
        var SPDXID: String
        var name: String
        var versionInfo: String?
        var packageFileName: String?
        /// A URL, `git+…@ref`, or `NOASSERTION`.
        var downloadLocation: String
        var filesAnalyzed = false
        var checksums: [Checksum]?
        var primaryPackagePurpose: String?
        var sourceInfo: String?
        var comment: String?
        var licenseConcluded = SPDXDocument.noAssertion
        var licenseDeclared = SPDXDocument.noAssertion
        var copyrightText = SPDXDocument.noAssertion
    }

    struct Relationship: Encodable, Hashable {
        var spdxElementId: String
        var relationshipType: String
        var relatedSpdxElement: String
    }

    static let noAssertion = "NOASSERTION"
    static let documentID = "SPDXRef-DOCUMENT"

    var spdxVersion = "SPDX-2.3"
    var dataLicense = "CC0-1.0"
    var SPDXID = SPDXDocument.documentID
    var name: String
    var documentNamespace: String
    var creationInfo: CreationInfo
    var packages: [Package]
    var relationships: [Relationship]

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// An SPDX element id from any text: `SPDXRef-` and letters, digits, `.` and `-` only.
    static func elementID(_ kind: String, _ text: String) -> String {
        "SPDXRef-\(kind)-" + String(text.map { $0.isASCIIAlphanumeric || $0 == "." || $0 == "-" ? $0 : "-" })
    }

    /// Whether `location` is a download location as SPDX validators accept one: a URL whose
    /// host has a domain (`https://example.org/x.tar.gz`, `git+https://…@<commit>`). This is
    /// the rule of spdx-tools (`uri_validators.py`), stricter than the spec's prose: a host
    /// given as an IP address or `localhost` fails it. Other URLs are written as `NOASSERTION`
    /// with the URL in `sourceInfo`.
    static func isDownloadLocation(_ location: String) -> Bool {
        let range = NSRange(location.startIndex..., in: location)
        return downloadLocationPatterns.contains { $0.firstMatch(in: location, range: range) != nil }
    }

    private static let downloadLocationPatterns: [NSRegularExpression] = {
        let url = #"(http://www\.|https://www\.|http://|https://|ssh://|git://|svn://|sftp://|ftp://)?([\w\-.!~*'()%;:&=+$,]+@)?[a-z0-9]+([\-\.]{1}[a-z0-9]+){0,100}\.[a-z]{2,5}(:[0-9]{1,5})?(/.*)?"#
        let git = #"(git\+git@[a-zA-Z0-9\.\-]+:[a-zA-Z0-9/\\.@\-]+)"#
        // A URL is accepted when its start matches (spdx-tools' `validate_url`), a VCS
        // location when all of it does.
        return [#"^"# + url, #"^((git|hg|svn|bzr)\+"# + url + #")$"#, "^" + git + "$"]
            .map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }  // constant patterns
    }()

    /// Seconds since the epoch as SPDX writes a time (`2024-01-31T12:00:00Z`).
    static func time(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
