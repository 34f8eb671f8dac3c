import Foundation

/// Paths as shown in messages: relative to the working directory when inside it, so errors
/// read `packages/foo/buildinfo.json` rather than a long absolute path.
enum DisplayPath {
    static func of(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
