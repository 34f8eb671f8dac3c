import Foundation

/// One object of the tree's `pkgtree.json` that a part of pkgtree reads for itself
/// (`remote_cache`, `release`): its fields, and where relative paths in it start.
struct ConfigurationSection {
    /// The file, as shown in problems.
    var display: String
    /// The file's directory: paths in the section are relative to it.
    var directory: URL
    var fields: [String: JSONValue]

    static let fileName = "pkgtree.json"
    /// The sections read above the runners: the shared cache's (`RemoteCacheFile`) and the
    /// releases' (`ReleaseSettings`). The runners' configuration, which reads the rest of the
    /// file, passes them over.
    static let remoteCacheKey = "remote_cache"
    static let releaseKey = "release"

    /// The tree's `pkgtree.json`: next to the package tree, else in the working directory.
    static func file(near packages: URL) -> URL? {
        [packages.deletingLastPathComponent().child(fileName),
         URL(fileURLWithPath: FileManager.default.currentDirectoryPath).child(fileName)]
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The `key` object of the tree's pkgtree.json, or nil when there is no file or no such
    /// key; anything but an object there is a problem, whose hint shows `example`.
    static func read(_ key: String, packages: URL, example: String) throws(Problems) -> ConfigurationSection? {
        guard let file = Self.file(near: packages) else { return nil }
        let display = DisplayPath.of(file)
        let document: JSONValue
        do {
            document = try JSONFile.read(file, displayPath: display)
        } catch {
            throw Problems([error])
        }
        guard let value = document.objectValue?[key] else { return nil }
        guard let fields = value.objectValue else {
            throw Problems([Problem(file: display, field: key, "expected an object such as \(example)")])
        }
        return ConfigurationSection(display: display, directory: file.deletingLastPathComponent(), fields: fields)
    }

    /// `path` relative to the file's directory.
    func url(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL
    }
}
