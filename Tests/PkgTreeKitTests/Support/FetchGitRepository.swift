import Foundation

/// A bare repository in a temporary directory, filled by pushing commits from a work clone,
/// as a real remote would be.
struct FetchGitRepository {
    let bare: URL
    let work: URL

    init(in root: URL) async throws {
        bare = root.appending(path: "remote/hello.git")
        work = root.appending(path: "work")
        try await ArchiveFixture.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", bare.path])
        try await ArchiveFixture.run(["git", "init", "--quiet", "--initial-branch=main", work.path])
    }

    /// Commits `files` (path -> content) on `main`, pushes, and returns the commit hash.
    @discardableResult
    func commit(_ files: [String: String], message: String) async throws -> String {
        for (path, content) in files {
            let file = work.appending(path: path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: file)
        }
        try await git(["add", "--all"])
        try await git(["-c", "user.name=pkgtree tests", "-c", "user.email=tests@pkgtree.invalid",
                 "commit", "--quiet", "-m", message])
        try await git(["push", "--quiet", bare.path, "main"])
        return try await git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ arguments: [String]) async throws -> String {
        try await ArchiveFixture.run(["git", "-C", work.path] + arguments)
    }
}
