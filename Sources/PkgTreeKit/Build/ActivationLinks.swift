import Foundation

/// pkgpanda's activation: the well-known directories of an install root (`bin`, `lib`,
/// `include`, `etc`, and role-suffixed ones like `etc_master`) hold a symlink for every file the
/// active packages have there, so `<root>/lib/libgreet.so` finds the package that provides it.
/// Directories are real and merge across packages; two packages providing one file is an error.
public enum ActivationLinks {
    public static let wellKnownDirectories = ["bin", "etc", "include", "lib"]

    /// One entry of the farm: a directory, or a link to a file inside a package.
    public struct Entry: Sendable, Hashable {
        public var path: String
        /// nil for a directory; otherwise the absolute link target (`<root>/packages/<id>/lib/x`).
        public var target: String?
    }

    /// The farm for `packages` (id -> the package's unpacked content), sorted by path.
    /// Well-known directories also match role-suffixed names (`etc_master`).
    public static func entries(packages: [(id: String, content: URL)], installRoot: String) throws -> [Entry] {
        var entries: [String: Entry] = [:]
        var owner: [String: String] = [:]
        for (id, content) in packages.sorted(by: { $0.id < $1.id }) {
            let topLevel = (try? FileManager.default.contentsOfDirectory(atPath: content.path)) ?? []
            for directory in topLevel.sorted() where isWellKnown(directory) && FileStatus.isDirectory(content.child(directory).path) {
                entries[directory] = Entry(path: directory, target: nil)
                for (relative, isDirectory) in walk(content.child(directory)) {
                    let path = "\(directory)/\(relative)"
                    if isDirectory {
                        if let existing = entries[path], existing.target != nil {
                            throw conflict(path, owner[path]!, id)
                        }
                        entries[path] = Entry(path: path, target: nil)
                    } else {
                        if entries[path] != nil { throw conflict(path, owner[path] ?? "a directory", id) }
                        entries[path] = Entry(path: path, target: "\(installRoot)/packages/\(id)/\(path)")
                        owner[path] = id
                    }
                }
            }
        }
        return entries.values.sorted { $0.path < $1.path }
    }

    static func isWellKnown(_ name: String) -> Bool {
        wellKnownDirectories.contains { name == $0 || name.hasPrefix("\($0)_") }
    }

    /// Relative paths under `directory` with whether each is a directory; symlinks count as files.
    private static func walk(_ directory: URL) -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let url = relative.isEmpty ? directory : directory.child(relative)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let isDirectory = FileStatus.of(directory.child(path).path)?.kind == .directory
                result.append((path, isDirectory))
                if isDirectory { pending.append(path) }
            }
        }
        return result
    }

    private static func conflict(_ path: String, _ first: String, _ second: String) -> Problems {
        Problems([Problem(field: "requires", "\(path) is provided by both \(first) and \(second); activation cannot link both",
                          hint: "rename or drop the file in one of the packages")])
    }

    /// Writes the farm under `root` (a host directory mounted as the install root).
    public static func materialize(_ entries: [Entry], in root: URL) throws {
        for entry in entries {
            let url = root.child(entry.path)
            if let target = entry.target {
                try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            } else {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
        }
    }
}
