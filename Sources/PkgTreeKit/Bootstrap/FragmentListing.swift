import Foundation

/// What a bootstrap fragment holds, kept with its row (`FragmentRecord.listing`) so that a
/// bootstrap checks every entry of every fragment it copies without decompressing one: each
/// entry's path (relative to `packages/<id>/`), type, size (regular files) and link target
/// (as written), in the fragment's order, and the package's metadata files, read in the pass
/// that wrote the fragment. The fragment's sha256 is checked as it is copied, so what a
/// bootstrap holds is what its listing says.
struct FragmentListing: Codable {
    var entries: [Entry]
    var kept: [String: Data]

    struct Entry: Codable {
        enum Kind: String, Codable {
            case directory = "d", file = "f", symlink = "l", hardlink = "h"
        }

        var kind: Kind
        var path: String
        var size: Int64?
        var target: String?

        init(kind: Kind, path: String, size: Int64? = nil, target: String? = nil) {
            self.kind = kind
            self.path = path
            self.size = size
            self.target = target
        }

        // ["f", path, size], ["l", path, target], ["d", path], ["h", path]: a package can have
        // tens of thousands of entries, and keys would double the row.
        init(from decoder: Decoder) throws {
            var fields = try decoder.unkeyedContainer()
            kind = try fields.decode(Kind.self)
            path = try fields.decode(String.self)
            switch kind {
            case .file: size = try fields.decode(Int64.self)
            case .symlink: target = try fields.decode(String.self)
            case .directory, .hardlink: break
            }
        }

        func encode(to encoder: Encoder) throws {
            var fields = encoder.unkeyedContainer()
            try fields.encode(kind)
            try fields.encode(path)
            if let size { try fields.encode(size) }
            if let target { try fields.encode(target) }
        }
    }

    init(_ copied: CopiedEntries) {
        entries = copied.paths.map { path, isDirectory in
            if isDirectory { return Entry(kind: .directory, path: path) }
            if let target = copied.links[path] { return Entry(kind: .symlink, path: path, target: target) }
            if let size = copied.fileSizes[path] { return Entry(kind: .file, path: path, size: size) }
            return Entry(kind: .hardlink, path: path)
        }
        kept = copied.kept
    }

    /// The entries as `copyEntries` reported them when the fragment was written.
    var copied: CopiedEntries {
        var copied = CopiedEntries()
        copied.paths = entries.map { ($0.path, $0.kind == .directory) }
        for entry in entries {
            if let target = entry.target { copied.links[entry.path] = target }
            if let size = entry.size { copied.fileSizes[entry.path] = size }
        }
        copied.kept = kept
        return copied
    }

    func encoded() throws -> Data {
        try JSONEncoder().encode(self)
    }

    /// The entries of a listing, or nil when it cannot be read (the fragment is then made again).
    static func decode(_ data: Data) -> CopiedEntries? {
        try? JSONDecoder().decode(FragmentListing.self, from: data).copied
    }
}
