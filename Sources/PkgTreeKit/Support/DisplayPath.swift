import Foundation

/// Paths as shown in messages: relative to the working directory when inside it, so errors
/// read `packages/foo/buildinfo.json` rather than a long absolute path.
public enum DisplayPath {
    private static let workingDirectory: String = {
        let cwd = FileManager.default.currentDirectoryPath
        return cwd.hasSuffix("/") ? cwd : cwd + "/"
    }()

    public static func of(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        return path.hasPrefix(workingDirectory) ? String(path.dropFirst(workingDirectory.count)) : path
    }
}

extension URL {
    /// `self/name` without asking the file system whether it is a directory, which
    /// `appendingPathComponent` does with a `stat` per call.
    func child(_ name: String) -> URL {
        appending(path: name, directoryHint: .notDirectory)
    }
}
