import Foundation

/// One object of the tree's `pkgtree.json` that a part of pkgtree reads for itself
/// (`remote_cache`, `release`): its fields, and where relative paths in it start.
struct ConfigurationSection {
    /// The file, as shown in problems.
    var display: String
    /// The file's directory: paths in the section are relative to it.
    var directory: URL
    var fields: [String: JSONValue]

    /// The `key` object of the tree's pkgtree.json, or nil when there is no file or no such
    /// key; anything but an object there is a problem, whose hint shows `example`.
    static func read(_ key: String, packages: URL, example: String) throws(Problems) -> ConfigurationSection? {
        guard let file = RunnerConfiguration.file(near: packages) else { return nil }
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
