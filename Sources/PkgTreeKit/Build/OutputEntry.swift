import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One entry of a package's content as the output checks see it, read either from a build's
/// output directory (symlinks never followed) or from an artifact's archive headers, so one
/// set of rules serves a fresh build and an imported artifact alike.
struct OutputEntry: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case file
        case directory
        case symlink(target: String)
        /// Neither of the above: "a FIFO", "a socket", "a character device", "a block device".
        case special(String)
    }

    /// Relative to the package root, `/`-separated.
    var path: String
    var kind: Kind
    /// Permission bits including setuid, setgid and sticky.
    var permissions: UInt32
    var size: Int64

    /// A file or directory of the output that could not be read.
    struct ReadError: Error, Sendable, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): cannot check the build's output: \(reason)" }
    }

    /// Every entry below `directory` (not the directory itself), sorted by path.
    static func scan(_ directory: URL) throws -> [OutputEntry] {
        var entries: [OutputEntry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? directory : directory.appending(path: relative)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: absolute.path)
            } catch {
                throw ReadError(path: absolute.path, reason: error.localizedDescription)
            }
            for name in names {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let entry = try inspect(directory.appending(path: path).path, as: path)
                if entry.kind == .directory { pending.append(path) }
                entries.append(entry)
            }
        }
        return entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private static func inspect(_ absolute: String, as path: String) throws -> OutputEntry {
        var info = stat()
        guard lstat(absolute, &info) == 0 else { throw ReadError(path: absolute, reason: SystemError.describe(errno)) }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK:
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute) else {
                throw ReadError(path: absolute, reason: "cannot read the symbolic link")
            }
            kind = .symlink(target: target)
        case S_IFIFO: kind = .special("a FIFO")
        case S_IFSOCK: kind = .special("a socket")
        case S_IFCHR: kind = .special("a character device")
        case S_IFBLK: kind = .special("a block device")
        default: kind = .special("a file of unknown type")
        }
        return OutputEntry(path: path, kind: kind, permissions: UInt32(info.st_mode & 0o7777), size: Int64(info.st_size))
    }

    /// The entries an artifact's headers declare (a hard link counts as the file it shares).
    static func read(archive: URL) throws -> [OutputEntry] {
        try ArchiveReader.entries(of: archive).compactMap { info in
            let path = try EntryPath.normalize(info.path, archive: archive.path)
            guard !path.isEmpty else { return nil }
            let kind: Kind = switch info.kind {
            case .file, .hardlink: .file
            case .directory: .directory
            case .symlink: .symlink(target: info.linkTarget ?? "")
            case .fifo: .special("a FIFO")
            case .socket: .special("a socket")
            case .characterDevice: .special("a character device")
            case .blockDevice: .special("a block device")
            case .unknown: .special("an entry of unknown type")
            }
            return OutputEntry(path: path, kind: kind, permissions: info.permissions, size: info.size ?? 0)
        }
    }
}
