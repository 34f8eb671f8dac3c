import Foundation

/// How a directory of this tree (`extra/`, `docker/`, a package directory's other files)
/// differs from the same directory of the fork: by relative path, each file's kind, executable
/// bit and content digest, as the package id sees them (`ContentDigest`). A directory that
/// does not exist is empty.
struct DirectoryDifference: Sendable, Equatable {
    var added: [String] = []
    var changed: [String] = []
    var removed: [String] = []

    var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// `excluding` names top-level entries to leave out; `ignoring` exact relative paths.
    init(ours: URL, theirs: URL, excluding: (String) -> Bool = { _ in false },
         ignoring: Set<String> = []) throws(ContentDigest.Failure) {
        let mine = try Self.entries(ours, excluding: excluding).filter { !ignoring.contains($0.key) }
        let other = try Self.entries(theirs, excluding: excluding).filter { !ignoring.contains($0.key) }
        for (path, entry) in other.sorted(by: { $0.key < $1.key }) {
            if let existing = mine[path] {
                if existing != entry { changed.append(path) }
            } else {
                added.append(path)
            }
        }
        removed = mine.keys.filter { other[$0] == nil }.sorted()
    }

    /// Relative path -> `<kind> <mode> <digest or link target>`.
    private static func entries(_ root: URL, excluding: (String) -> Bool) throws(ContentDigest.Failure) -> [String: String] {
        guard FileStatus.isDirectory(root.path) else { return [:] }
        var result: [String: String] = [:]
        for line in try ContentDigest.listing(root, keepingEmptyDirectories: true, excluding: excluding) {
            guard let separator = line.firstIndex(of: "\u{0}") else { continue }
            result[String(line[..<separator])] = String(line[line.index(after: separator)...])
        }
        return result
    }

    /// `a, b and 3 more` for messages.
    static func list(_ paths: [String], limit: Int = 3) -> String {
        paths.count <= limit ? paths.joined(separator: ", ")
            : paths.prefix(limit).joined(separator: ", ") + " and \(paths.count - limit) more"
    }
}
