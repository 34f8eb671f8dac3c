import Crypto
import Foundation

/// Content digests of the local inputs of a package: its build script, `extra/`, `docker/`
/// and `git_local` directories. A directory's digest covers relative paths, the executable bit
/// and contents, in sorted order, and nothing else: not mtimes, owners or the absolute path,
/// so the same tree at two paths or on two machines hashes the same. Only the executable bit
/// of the mode counts (as in git), so machines with different umasks agree.
enum ContentDigest {
    struct Failure: Error {
        var path: String
        var reason: String
        /// What to do about it, when the reason does not say.
        var hint: String?
    }

    /// SHA-256 (hex) of one regular file's bytes, read in blocks (an `extra/` file may be
    /// larger than memory); from `cache` when the file is unchanged.
    static func file(_ url: URL, status: FileStatus? = nil, cache: (any FileDigestCache)? = nil) throws(Failure) -> String {
        guard let status = status ?? FileStatus.of(url.path, followingSymlinks: true) else {
            throw Failure(path: url.path, reason: "does not exist")
        }
        guard status.kind == .regular else {
            throw Failure(path: url.path, reason: "is \(status.kind), not a file", hint: "replace it with a file")
        }
        let read = { () throws(Failure) -> String in
            do {
                return try FileHasher.sha256(url)
            } catch {
                throw Failure(path: url.path, reason: "cannot be read: \(SystemError.reason(error))")
            }
        }
        guard let cache else { return try read() }
        do {
            return try cache.digest(of: url.path, status: status, compute: read)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: url.path, reason: SystemError.reason(error))
        }
    }

    /// SHA-256 (hex) of a directory tree, or nil when it holds no file. `excluding` names
    /// top-level entries to leave out. Version control metadata (`.git`) is never content.
    ///
    /// With `keepingEmptyDirectories`, an empty directory is content too, and so is an empty
    /// root (its digest is never nil), as pkgpanda's `hash_folder` counts them for `extra/`:
    /// a build sees them (`/pkg/extra` exists, `mkdir` fails on an existing directory).
    static func directory(_ root: URL, cache: (any FileDigestCache)? = nil, keepingEmptyDirectories: Bool = false,
                          excluding: (String) -> Bool = { _ in false }) throws(Failure) -> String? {
        let entries = try listing(root, cache: cache, keepingEmptyDirectories: keepingEmptyDirectories, excluding: excluding)
        if entries.isEmpty, !keepingEmptyDirectories { return nil }
        var manifest: [UInt8] = []
        for entry in entries {
            manifest.append(contentsOf: entry.utf8)
            manifest.append(0x0A)
        }
        return SHA256.hash(data: manifest).hexString
    }

    /// One line per file or symlink (and empty directory, when kept): `<relative path>\0<kind>
    /// <mode> <digest or target>`. Paths come first and cannot contain NUL, so sorting the lines
    /// sorts by path.
    static func listing(_ root: URL, cache: (any FileDigestCache)? = nil, keepingEmptyDirectories: Bool,
                        excluding: (String) -> Bool = { _ in false }) throws(Failure) -> [String] {
        let manager = FileManager.default
        var lines: [String] = []
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : root.child(relative)
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw Failure(path: directory.path, reason: "cannot be listed: \(SystemError.reason(error))")
            }
            if keepingEmptyDirectories, names.isEmpty, !relative.isEmpty {
                lines.append("\(relative)\u{0}d 040000")
            }
            for name in names where name != ".git" && !(relative.isEmpty && excluding(name)) {
                let path = relative.isEmpty ? name : relative + "/" + name
                let url = root.child(path)
                guard let status = FileStatus.of(url.path) else {
                    guard FileStatus.isUndecodable(name) else { throw Failure(path: url.path, reason: "cannot be inspected") }
                    throw Failure(path: url.path, reason: "has a name that is not valid UTF-8",
                                  hint: "rename it; file names go into the package id, which is UTF-8 JSON")
                }
                switch status.kind {
                case .directory:
                    pending.append(path)
                case .symlink:
                    let target = (try? manager.destinationOfSymbolicLink(atPath: url.path)) ?? ""
                    lines.append("\(path)\u{0}l 120000 \(target)")
                case .regular:
                    let mode = status.permissions & 0o111 != 0 ? "100755" : "100644"
                    lines.append("\(path)\u{0}f \(mode) \(try file(url, status: status, cache: cache))")
                case .other:
                    throw Failure(path: url.path, reason: "is a device, socket or FIFO, which cannot be part of a package input",
                                  hint: "remove it; package inputs hold files, directories and symbolic links only")
                }
            }
        }
        return lines.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
