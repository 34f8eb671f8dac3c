import Foundation
import PkgTreeKit

/// What must hold after any extraction, successful or not: the rest of `work/` is untouched,
/// the destination holds only files, directories and symlinks that stay inside, no file
/// carries setuid, setgid or sticky bits, and the files fit the limits. After a successful
/// extraction (and listing), each file holds what the listing read. A violation stops the
/// process, so libFuzzer records the input as a crash.
struct ExtractionOracle {
    let scratch: Scratch
    let limits: ExtractLimits

    /// `files`: relative path -> content the listing read, compared with the disk when given.
    func check(files: [String: Data]?) {
        let outside = (try? FileManager.default.contentsOfDirectory(atPath: scratch.work.path)) ?? []
        expect(Set(outside).isSubset(of: ["dest", "outside.txt"]), "wrote outside the destination: \(outside.sorted())")
        let sentinel = status(scratch.sentinel.path)
        expect(sentinel.map { $0.st_mode & S_IFMT == S_IFREG && $0.st_nlink == 1 } ?? false,
               "the sentinel outside the destination was replaced or hard-linked")
        expect(FileManager.default.contents(atPath: scratch.sentinel.path) == Scratch.sentinelText,
               "the sentinel outside the destination was changed")
        guard let root = status(scratch.destination.path) else { return }
        expect(root.st_mode & S_IFMT == S_IFDIR, "the destination is no longer a directory")
        guard let resolvedRoot = realPath(scratch.destination.path) else { fatalError("cannot resolve the destination") }
        var sizes: [ino_t: Int64] = [:]
        walk(resolvedRoot) { path, info in
            checkEntry(path, info, root: resolvedRoot)
            if info.st_mode & S_IFMT == S_IFREG { sizes[info.st_ino] = Int64(info.st_size) }
        }
        expect(sizes.values.allSatisfy { $0 <= limits.maxEntryBytes }, "a file is larger than maxEntryBytes")
        expect(sizes.values.reduce(0, +) <= limits.maxTotalBytes, "the files are larger than maxTotalBytes together")
        for (path, data) in files ?? [:] {
            let onDisk = FileManager.default.contents(atPath: resolvedRoot + "/" + path)
            expect(onDisk == data, "\(path): the listing read \(data.count) bytes, the extraction wrote \(onDisk.map { "\($0.count)" } ?? "no file")")
        }
    }

    /// An entry path as the extractor places it: `.` and empty components dropped.
    static func lexicalPath(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    private func checkEntry(_ path: String, _ info: stat, root: String) {
        expect(info.st_mode & 0o7000 == 0, "\(path) kept setuid, setgid or sticky bits")
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: break
        case S_IFLNK: checkSymlink(path, root: root)
        default: fatalError("\(path) is neither a file, a directory nor a symlink")
        }
    }

    /// A symlink must resolve inside `root`; a dangling one must point inside it by its words.
    private func checkSymlink(_ path: String, root: String) {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
            fatalError("cannot read the symlink \(path)")
        }
        expect(!target.hasPrefix("/"), "\(path) is an absolute symlink to \(target)")
        let resolved = realPath(path) ?? lexicallyJoined(realPath((path as NSString).deletingLastPathComponent) ?? root, target)
        expect(resolved.map { $0 == root || $0.hasPrefix(root + "/") } ?? false,
               "the symlink \(path) -> \(target) leads outside the destination, to \(resolved ?? "above /")")
    }

    /// `base/target` with `.` and `..` removed by their words; nil when `..` climbs above `/`.
    private func lexicallyJoined(_ base: String, _ target: String) -> String? {
        var parts: [Substring] = []
        for part in (base + "/" + target).split(separator: "/") where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Calls `body` for everything below `directory`, never following symlinks.
    private func walk(_ directory: String, _ body: (String, stat) -> Void) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            guard let info = status(path) else { continue }
            body(path, info)
            if info.st_mode & S_IFMT == S_IFDIR { walk(path, body) }
        }
    }

    private func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError(message()) }
    }
}
