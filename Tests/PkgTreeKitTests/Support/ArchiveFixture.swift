import Foundation
import RegistryTestSupport
import Subprocess
@testable import PkgTreeKit

/// A fresh temporary directory for one archive test, with helpers to build trees, run the
/// system's own tools on the results, and look at what ended up on disk.
struct ArchiveFixture {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("pkgtree-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Writes `content` at `path` (parents created) with `mode`.
    @discardableResult
    func write(_ path: String, _ content: String, mode: Int = 0o644) throws -> URL {
        let file = url(path)
        try makeDirectories(file.deletingLastPathComponent())
        try Data(content.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file
    }

    func mkdir(_ path: String) throws {
        try makeDirectories(url(path))
    }

    /// Creates missing directories with mode 0755 set explicitly: libarchive's disk writer
    /// briefly sets the process umask to 0, so relying on the umask races with extraction
    /// tests running in parallel.
    private func makeDirectories(_ directory: URL) throws {
        guard !FileManager.default.fileExists(atPath: directory.path) else { return }
        try makeDirectories(directory.deletingLastPathComponent())
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(path).path, withDestinationPath: target)
    }

    func hardlink(_ path: String, to existing: String) throws {
        try FileManager.default.linkItem(at: url(existing), to: url(path))
    }

    /// A small tree with one of everything the packer keeps: nested files, an executable, an
    /// empty directory, a relative symlink, a hard link, a long and a non-ASCII name.
    func sampleTree(_ name: String = "tree") throws -> URL {
        try write("\(name)/bin/tool", "#!/bin/sh\necho tool\n", mode: 0o755)
        try write("\(name)/lib/libfoo.so.1.2", String(repeating: "ELF-ish payload ", count: 4000))
        try symlink("\(name)/lib/libfoo.so.1", to: "libfoo.so.1.2")
        try hardlink("\(name)/bin/tool-again", to: "\(name)/bin/tool")
        try mkdir("\(name)/var/empty")
        try write("\(name)/share/doc/" + String(repeating: "long-name-", count: 12) + "/README", "read me\n")
        try write("\(name)/share/naïve-café.txt", "unicode\n")
        return url(name)
    }

    /// Every path below `directory` (relative, sorted) with its type and permission bits,
    /// e.g. "bin/tool f755", "lib/libfoo.so.1 l->libfoo.so.1.2".
    func listing(_ directory: URL) throws -> [String] {
        let paths = FileManager.default.subpaths(atPath: directory.path) ?? []
        return try paths.sorted().map { path in
            let full = directory.appendingPathComponent(path).path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            let mode = String((attributes[.posixPermissions] as? Int) ?? 0, radix: 8)
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?:
                return "\(path) l->\(try FileManager.default.destinationOfSymbolicLink(atPath: full))"
            case .typeDirectory?:
                return "\(path) d\(mode)"
            default:
                let data = try Data(contentsOf: URL(fileURLWithPath: full))
                return "\(path) f\(mode) \(data.count)"
            }
        }
    }

    /// Runs `arguments` (looked up on PATH) and returns stdout; throws `ToolProcess.Failure`
    /// on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [Environment.Key: String] = [:]) async throws -> String {
        try await ToolProcess.run(arguments, in: directory, environment: environment)
    }

    /// Runs a Python 3 script (used to craft archives no honest tool would write).
    @discardableResult
    static func python(_ script: String, _ arguments: String...) async throws -> String {
        try await run(["python3", "-c", script] + arguments)
    }
}
