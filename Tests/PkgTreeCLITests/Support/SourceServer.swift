import Foundation
import Testing

/// Sources served on loopback as a real pkgpanda tree fetches them: a `.tar.gz` for
/// `url_extract`, a plain file for `url` (each with its sha256), and a bare git repository
/// over git's "dumb" HTTP protocol for `git`.
final class SourceServer {
    let directory: URL
    let server: LoopbackServer

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try await LoopbackServer(directory: directory)
    }

    deinit { server.stop() }

    /// `files` packed as `<name>.tar.gz` under one top-level `<name>/` directory, as upstream
    /// tarballs are: the buildinfo `url_extract` source that serves it.
    func tarball(_ name: String, _ files: [String: String], executable: Set<String> = []) async throws -> String {
        let stage = directory.appendingPathComponent("stage-\(name)")
        try write(files, under: stage.appendingPathComponent(name), executable: executable)
        let tar = try await CLIRunner.runTool("/bin/tar", ["-czf", directory.appendingPathComponent("\(name).tar.gz").path,
                                                           "-C", stage.path, name])
        #expect(tar.status == 0, "\(tar.stderr)")
        return try await source("url_extract", "\(name).tar.gz")
    }

    /// `content` served as `<name>`: the buildinfo `url` source that serves it.
    func file(_ name: String, _ content: String) async throws -> String {
        try Data(content.utf8).write(to: directory.appendingPathComponent(name))
        return try await source("url", name)
    }

    /// The sha256 of a served file.
    func sha256(_ name: String) async throws -> String {
        try await Self.sha256(of: directory.appendingPathComponent(name))
    }

    /// The sha256 of any file, by the system's `sha256sum`.
    static func sha256(of file: URL) async throws -> String {
        String(try await CLIRunner.runTool("/usr/bin/sha256sum", [file.path]).stdout.prefix(64))
    }

    private func source(_ kind: String, _ name: String) async throws -> String {
        #"{"kind": "\#(kind)", "url": "\#(server.url(name))", "sha256": "\#(try await sha256(name))"}"#
    }

    /// A bare repository `<name>.git` with one commit of `files`: the buildinfo `git` source
    /// pinned to that commit.
    func gitRepository(_ name: String, _ files: [String: String]) async throws -> String {
        let work = directory.appendingPathComponent("work-\(name)")
        try write(files, under: work)
        let bare = directory.appendingPathComponent("\(name).git").path
        let identity = ["-c", "user.name=pkgtree tests", "-c", "user.email=tests@pkgtree.invalid"]
        for arguments in [["init", "--quiet", work.path], ["-C", work.path, "add", "."],
                          identity + ["-C", work.path, "commit", "--quiet", "-m", "source"],
                          ["clone", "--quiet", "--bare", work.path, bare], ["-C", bare, "update-server-info"]] {
            let git = try await CLIRunner.runTool("/usr/bin/git", arguments)
            #expect(git.status == 0, "git \(arguments): \(git.stderr)")
        }
        let commit = try await CLIRunner.runTool("/usr/bin/git", ["-C", bare, "rev-parse", "HEAD"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return #"{"kind": "git", "git": "\#(server.url("\(name).git"))", "ref": "\#(commit)", "ref_origin": "master"}"#
    }

    private func write(_ files: [String: String], under root: URL, executable: Set<String> = []) throws {
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
            if executable.contains(path) {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        }
    }
}
