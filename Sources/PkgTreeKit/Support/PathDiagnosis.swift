import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is wrong at a path, found by looking rather than by trusting the error: making
/// `cache/images/x86_64` fails with "file exists" whether `cache/images` is a file, a
/// dangling symbolic link or a loop of links, and only a look at each component tells which
/// one is at fault and what it is.
struct PathDiagnosis: Sendable, Equatable {
    /// The component at fault: `path` itself or one of its parents.
    var path: String
    /// "is a file, not a directory", "is a dangling symbolic link to /gone".
    var problem: String
    /// What fixes it.
    var remedy: String?

    /// Looks at each component of `path` (absolute) from the root, given the `errno` of what
    /// failed there (nil when unknown), and says what is wrong first. Nil when nothing is.
    static func of(_ path: String, code: Int32?) -> PathDiagnosis? {
        inTheWay(of: path, code: code) ?? code.flatMap { byCode($0, path) }
    }

    /// What keeps `path` from being a directory this user can write in, before anything is
    /// tried there: a component that is a file or a broken link, or missing permissions.
    static func ofDirectory(_ path: String) -> PathDiagnosis? {
        inTheWay(of: path, code: ENOTDIR) ?? permission(path)
    }

    /// The first component of `path` that is not a directory when one must be (any but the
    /// last, and the last too for `EEXIST`/`ENOTDIR`), or a symbolic link that leads nowhere.
    private static func inTheWay(of path: String, code: Int32?) -> PathDiagnosis? {
        let components = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        var current = ""
        for (position, component) in components.enumerated() {
            current = current.isEmpty ? component : (current == "/" ? "/" : current + "/") + component
            guard let status = FileStatus.of(current) else { break }  // missing from here on: nothing to look at
            var kind = status.kind
            if kind == .symlink {
                if let broken = brokenLink(current) { return broken }
                kind = FileStatus.of(current, followingSymlinks: true)?.kind ?? .other
            }
            let isLast = position == components.count - 1
            if kind != .directory && (!isLast || code == EEXIST || code == ENOTDIR) {
                return PathDiagnosis(path: current, problem: "is \(kind), not a directory",
                                     remedy: "remove or rename it")
            }
        }
        return nil
    }

    /// A symbolic link that leads nowhere: to a missing target, or around in a loop.
    private static func brokenLink(_ link: String) -> PathDiagnosis? {
        var info = stat()
        guard stat(link, &info) != 0 else { return nil }
        let code = errno
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) ?? "?"
        switch code {
        case ENOENT:
            let absolute = URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: link).deletingLastPathComponent()).standardizedFileURL.path
            return PathDiagnosis(path: link, problem: "is a dangling symbolic link to \(target)",
                                 remedy: "create \(absolute) (mkdir -p \(absolute)), or remove the link")
        case ELOOP:
            return PathDiagnosis(path: link, problem: "is a symbolic link in a loop (\(chain(from: link)))",
                                 remedy: "remove the link, or point it at a real directory")
        default:
            return PathDiagnosis(path: link, problem: "is a symbolic link to \(target), which cannot be followed: \(SystemError.describe(code))",
                                 remedy: nil)
        }
    }

    /// `a -> b -> a`: the links followed until one repeats.
    private static func chain(from link: String) -> String {
        var seen: [String] = [link]
        var current = link
        while seen.count < 8, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) {
            current = URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: current).deletingLastPathComponent()).standardizedFileURL.path
            seen.append(current)
            if seen.dropLast().contains(current) { break }
        }
        return seen.map { DisplayPath.of(URL(fileURLWithPath: $0)) }.joined(separator: " -> ")
    }

    /// What the error code means at `path`, once no component is in the way.
    private static func byCode(_ code: Int32, _ path: String) -> PathDiagnosis? {
        switch code {
        case EACCES, EPERM: return permission(path) ?? PathDiagnosis(path: path, problem: "permission denied", remedy: nil)
        case ENOSPC, EDQUOT:
            let place = nearestExisting(path)
            return PathDiagnosis(path: place, problem: "no space left on the device\(freeSpace(place))",
                                 remedy: "free space on that file system (`pkgtree cache gc` removes old artifacts), or use one with more room")
        case EIO where freeBytes(nearestExisting(path)).map({ $0 < 1 << 20 }) == true:
            // SQLite's shared-memory file fails with EIO, not ENOSPC, on a full tmpfs.
            return byCode(ENOSPC, path)
        case EROFS:
            return PathDiagnosis(path: nearestExisting(path), problem: "is on a read-only file system", remedy: "use a directory on a writable file system")
        case ENOENT:
            return PathDiagnosis(path: path, problem: "does not exist", remedy: nil)
        default:
            return PathDiagnosis(path: path, problem: SystemError.describe(code), remedy: nil)
        }
    }

    /// Who may not do what: the first directory on the way that cannot be entered, else the
    /// file itself or the directory that cannot be written; nil when this user may do it all.
    static func permission(_ path: String) -> PathDiagnosis? {
        let user = currentUser
        var current = ""
        for component in URL(fileURLWithPath: path).standardizedFileURL.pathComponents.dropLast() {
            current = current.isEmpty ? component : (current == "/" ? "/" : current + "/") + component
            if access(current, X_OK) != 0 && FileStatus.of(current, followingSymlinks: true)?.kind == .directory {
                return denied(current, "user \(user) cannot enter it")
            }
        }
        if FileStatus.of(path, followingSymlinks: true) != nil {
            if FileStatus.isDirectory(path) ? access(path, W_OK | X_OK) != 0 : access(path, R_OK | W_OK) != 0 {
                return denied(path, "user \(user) cannot \(FileStatus.isDirectory(path) ? "write to it" : "read and write it")")
            }
        }
        // Where the file is (to be) made: itself when a directory, else its nearest parent.
        let directory = FileStatus.isDirectory(path) ? path : nearestExisting(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return access(directory, W_OK) != 0 ? denied(directory, "user \(user) cannot write to it") : nil
    }

    private static func denied(_ path: String, _ detail: String) -> PathDiagnosis {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return PathDiagnosis(path: path, problem: "permission denied: \(detail)", remedy: "use a directory you can write")
        }
        let owner = userName(info.st_uid)
        let mode = String(info.st_mode & 0o7777, radix: 8)
        let shown = DisplayPath.of(URL(fileURLWithPath: path))
        return PathDiagnosis(
            path: path, problem: "permission denied: \(detail) (owner \(owner), mode \(String(repeating: "0", count: max(0, 4 - mode.count)))\(mode))",
            remedy: info.st_uid == geteuid() ? "give yourself access (chmod \(info.st_mode & S_IFMT == S_IFDIR ? "u+rwx" : "u+rw") \(shown))"
                : "ask \(owner) to give you access, or use a directory you own")
    }

    /// `path`, or its nearest parent that exists.
    private static func nearestExisting(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        while FileStatus.of(url.path, followingSymlinks: true) == nil && url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    /// " (12 KiB free on its file system)".
    private static func freeSpace(_ path: String) -> String {
        freeBytes(path).map { " (\(ByteCount.text($0)) free on its file system)" } ?? ""
    }

    private static func freeBytes(_ path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    static var currentUser: String { userName(geteuid()) }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
