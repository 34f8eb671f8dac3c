import Foundation

/// Where everything lives under a cache root (docs/cache.md). Paths only; nothing here touches disk.
public struct CacheLayout: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// `--cache DIR`, else `$PKGTREE_CACHE`, else `./cache`.
    public static func resolve(_ explicit: String?) -> CacheLayout {
        let path = explicit ?? ProcessInfo.processInfo.environment["PKGTREE_CACHE"] ?? "cache"
        return CacheLayout(root: URL(fileURLWithPath: path))
    }

    /// The end of every hint about a cache path that cannot be used.
    static let alternative = "choose another cache with --cache DIR (or $PKGTREE_CACHE)"

    public var index: URL { root.child("index.sqlite") }
    public var packages: URL { root.child("packages") }
    public var logs: URL { root.child("logs") }
    public var sources: URL { root.child("sources") }
    public var images: URL { root.child("images") }
    /// Staging: half-written files live here until renamed into place; never read as output.
    public var tmp: URL { root.child("tmp") }
    /// One lock file per id, so that two processes never store or build the same id at once.
    public var locks: URL { root.child("locks") }
    /// Bootstrap fragments: `fragments/<arch>/<name>/<id>.<form>.xz` (see `FragmentRecord`).
    public var fragments: URL { root.child(Self.fragmentsDirectory) }
    static let fragmentsDirectory = "fragments"
    /// Dependencies unpacked once, mounted read-only into builds (`UnpackedCopies`).
    public var unpacked: URL { root.child("unpacked") }

    /// `unpacked/<arch>/<id>/`: the unpacked copy of the artifact `id`.
    public func unpackedCopy(arch: String, id: String) -> URL {
        unpacked.child("\(arch)/\(id)")
    }

    /// `packages/<arch>/<name>/<id>.tar.xz`, relative to the root (as stored in the index).
    public static func artifactPath(arch: Architecture, name: String, id: String) -> String {
        "packages/\(arch.rawValue)/\(name)/\(id).tar.xz"
    }

    public func url(ofRelativePath path: String) -> URL {
        root.child(path)
    }

    /// `url`'s path relative to the root, as the index stores it.
    func relativePath(of url: URL) -> String {
        String(url.path.dropFirst(root.path.count + 1))
    }

    static let artifactSuffix = ".tar.xz"

    /// The id an artifact file is named for (`<id>.tar.xz`), or nil for any other name.
    static func artifactID(fileName: String) -> String? {
        fileName.hasSuffix(artifactSuffix) ? String(fileName.dropLast(artifactSuffix.count)) : nil
    }

    /// `logs/<arch>/<name>/`: every build log of one package.
    public func logDirectory(arch: Architecture, name: String) -> URL {
        logs.child("\(arch.rawValue)/\(name)")
    }

    public func log(arch: Architecture, name: String, id: String) -> URL {
        logDirectory(arch: arch, name: name).child("\(id).log")
    }

    public func lockFile(for id: String) -> URL {
        locks.child("\(id).lock")
    }

    /// Held shared by every process whose builds use unpacked copies, for as long as it runs;
    /// taken exclusively (never waited for) to remove a copy. See `UnpackedCopies`.
    var unpackedCopiesLock: URL { locks.child("unpacked-copies.lock") }

    /// `runs/<uuid>.ids`: the ids each running build needs, kept from gc (`RunRoots`).
    var runRoots: URL { locks.child("runs") }
    /// Taken shared to register roots, exclusively by gc while it reads them and removes.
    var runRootsLock: URL { locks.child("runs.lock") }

    /// Held while the index file is opened, checked and, if damaged, replaced.
    var indexLock: URL { locks.child("index.sqlite.lock") }
}
