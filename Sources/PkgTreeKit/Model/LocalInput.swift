import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The package's own inputs that a build sees through the package directory — its build
/// script, `extra/` and `docker/` — must really be in that directory. The id hashes what a
/// path leads to on the host, but a build sees only the package directory: a build script
/// linked out of it would hash one file and run another (or none), and `extra/` linked out of
/// it would be bind-mounted, so host files would reach the build. Links *inside* `extra/` are
/// harmless: they are hashed as links and resolve inside the container.
enum LocalInput {
    /// Throws unless `url`, when it is a symbolic link, leads to a place inside `package`.
    static func requireInside(_ url: URL, package: URL) throws(ContentDigest.Failure) {
        guard FileStatus.of(url.path)?.kind == .symlink else { return }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
        guard let resolved = realPath(url.path) else {
            throw ContentDigest.Failure(path: url.path, reason: "is a symbolic link to '\(target)', which does not exist",
                                        hint: "point it at something in the package directory, or replace it")
        }
        guard let root = realPath(package.path), resolved == root || resolved.hasPrefix(root + "/") else {
            throw ContentDigest.Failure(path: url.path, reason: "is a symbolic link to '\(target)', outside the package directory",
                                        hint: "a build sees only its package directory; copy what it needs there instead of linking to it")
        }
    }

    /// Throws unless `url`, all its symbolic links followed, is inside `root` (a builder's
    /// Dockerfile directory must be part of the tree, which is what ids hash).
    static func requireWithin(_ url: URL, root: URL) throws(ContentDigest.Failure) {
        guard let resolved = realPath(url.path), let base = realPath(root.path),
              resolved == base || resolved.hasPrefix(base + "/") else {
            throw ContentDigest.Failure(path: url.path, reason: "leads outside the tree (through a symbolic link)",
                                        hint: "copy the directory into the tree instead of linking to it")
        }
    }

    /// The digest of the directory `name` (`extra`, `docker`) of a package, which must be a
    /// directory inside it. `extra/` is hashed as pkgpanda hashes it, empty directories
    /// included, and has a digest even when empty; `docker/` has none when it holds no file.
    static func directoryDigest(_ name: String, of package: URL, _ cache: (any FileDigestCache)?) throws(ContentDigest.Failure) -> String? {
        let url = package.child(name)
        try requireInside(url, package: package)
        guard FileStatus.isDirectory(url.path) else {
            throw ContentDigest.Failure(path: url.path, reason: "is a file, not a directory",
                                        hint: "'\(name)' is a directory of files for the build; move the file into \(name)/")
        }
        return try ContentDigest.directory(url, cache: cache, keepingEmptyDirectories: name == "extra")
    }

    /// Where a path leads once every symbolic link in it is followed; nil when it leads nowhere.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
