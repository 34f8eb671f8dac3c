import Crypto
import Foundation

/// A bootstrap's id: SHA-256 of the sorted package ids, the architecture and the layout
/// version. Package ids already cover every build input (and the install root), so equal ids
/// mean an equal tarball; the layout version changes when pkgtree lays a bootstrap out
/// differently. (pkgpanda hashes the package ids alone, with SHA-1.)
public enum BootstrapID {
    /// Raise when the tarball's layout or the files beside the packages change.
    public static let layoutVersion = 1

    public static func of(packageIDs: [String], arch: Architecture) -> String {
        let document = JSONValue.object([
            "arch": .string(arch.rawValue),
            "layout": .int(layoutVersion),
            "packages": .array(packageIDs.sorted().map(JSONValue.string)),
        ])
        return SHA256.hash(data: CanonicalJSON.bytes(document)).hexString
    }
}
