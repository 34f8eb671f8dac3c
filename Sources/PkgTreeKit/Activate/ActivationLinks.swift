import Foundation

/// pkgpanda's activation: the well-known directories of an install root (`bin`, `lib`,
/// `include`, `etc`, `dcos.target.wants` — pkgpanda's rooted systemd directory — and
/// role-suffixed ones like `etc_master`) hold a symlink for every file the active packages
/// have there, so `<root>/lib/libgreet.so` finds the package that provides it.
/// Directories are real and merge across packages; two packages providing one file is an error.
///
/// Links are relative (`lib/libgreet.so` -> `../packages/<id>/lib/libgreet.so`), unlike
/// pkgpanda's absolute ones, so an install root works wherever it is unpacked: in a build
/// container, in a scratch directory, or at its real place.
public enum ActivationLinks {
    public static let wellKnownDirectories = ["bin", "dcos.target.wants", "etc", "include", "lib"]

    /// One entry of the farm: a directory, or a link to a file inside a package.
    public struct Entry: Sendable, Hashable {
        public var path: String
        /// The id of the package the link points into; nil for a directory.
        public var package: String?

        /// The link's target, relative to the link's own directory; nil for a directory.
        public var target: String? {
            package.map { id in
                String(repeating: "../", count: path.split(separator: "/").count - 1) + "packages/\(id)/\(path)"
            }
        }
    }

    /// A package's files: paths relative to its root, and whether each is a directory
    /// (symlinks count as files).
    public typealias PackageFiles = (id: String, paths: [(path: String, isDirectory: Bool)])

    /// The farm for `packages`, sorted by path. Well-known directories also match
    /// role-suffixed names (`etc_master`).
    public static func entries(_ packages: [PackageFiles]) throws -> [Entry] {
        try entries(linking: packages.map { ($0.id, linked($0.paths)) })
    }

    /// The paths of a package that the farm links (or merges, for directories), sorted. Most
    /// of a package is elsewhere (share/, libexec/): filtered before anything is sorted.
    static func linked(_ paths: [(path: String, isDirectory: Bool)]) -> [(path: String, isDirectory: Bool)] {
        paths.filter { isWellKnown(topLevel: $0.path) }.sorted { $0.path < $1.path }
    }

    /// The farm for packages whose paths are `linked` already.
    static func entries(linking packages: [PackageFiles]) throws -> [Entry] {
        var entries: [String: Entry] = [:]
        for (id, linked) in packages.sorted(by: { $0.id < $1.id }) {
            for (path, isDirectory) in linked {
                let existing = entries[path]
                if isDirectory {
                    if let owner = existing?.package { throw conflict(path, owner, id) }
                    entries[path] = Entry(path: path, package: nil)
                } else {
                    if let existing { throw conflict(path, existing.package ?? "a directory", id) }
                    entries[path] = Entry(path: path, package: id)
                }
            }
        }
        return entries.values.sorted { $0.path < $1.path }
    }

    static func isWellKnown(_ name: String) -> Bool {
        wellKnownDirectories.contains { name == $0 || name.hasPrefix("\($0)_") }
    }

    /// Whether the first component of `path` is a well-known directory.
    private static func isWellKnown(topLevel path: String) -> Bool {
        let top = path.utf8.firstIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? path[...]
        return wellKnownDirectories.contains { top == $0 || (top.hasPrefix($0) && top.dropFirst($0.count).hasPrefix("_")) }
    }

    private static func conflict(_ path: String, _ first: String, _ second: String) -> Problems {
        Problems([Problem(field: "requires", "\(path) is provided by both \(first) and \(second); activation cannot link both",
                          hint: "rename or drop the file in one of the packages")])
    }
}
