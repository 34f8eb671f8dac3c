import Crypto
import Foundation

/// A bare mirror of one git repository in `cache/sources/git/<name>-<url hash>.git`: cloned
/// once, fetched again only when a build asks for a commit it lacks, so a warm cache builds
/// offline. A first clone goes through `cache/tmp/` and a rename, so a killed clone never
/// counts as a mirror; a lock per repository keeps concurrent builds from cloning or
/// fetching it twice at once.
struct GitMirror {
    let layout: CacheLayout
    /// The repository as the buildinfo writes it.
    let url: String

    /// A readable, collision-free directory name: the repository's last path segment, then
    /// the first 16 hex digits of the SHA-256 of the URL.
    var key: String {
        let last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? "repo"
        let base = last.hasSuffix(".git") ? String(last.dropLast(4)) : last
        let readable = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" }.prefix(40))
        return "\(readable.isEmpty ? "repo" : readable)-\(SHA256.hash(data: Data(url.utf8)).hexString.prefix(16))"
    }

    var path: URL { layout.sources.child("git/\(key).git") }

    /// Guards cloning and fetching, and names the staged clone.
    private var lockID: String { "source-git-\(key)" }

    /// Makes sure the mirror holds `commit`, cloning or fetching as needed; false when the
    /// repository does not have it even after fetching every branch and tag.
    func ensure(commit: String) async throws -> Bool {
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if FileStatus.isDirectory(path.path) {
            if try await has(commit) { return true }
            try await Git.run(["--git-dir", path.path, "fetch", "--quiet", "origin"])
        } else {
            try await clone()
        }
        return try await has(commit)
    }

    /// Whether the mirror has `commit` as a commit (not a tree or a tag object).
    func has(_ commit: String) async throws -> Bool {
        try await Git.succeeds(["--git-dir", path.path, "cat-file", "-e", "\(commit)^{commit}"])
    }

    /// Writes the tree of `commit` to `destination`, a clone of its own with `.git` as
    /// pkgpanda made (build scripts may run `git describe`). Objects are hard-linked from the
    /// mirror where the file system allows, so even a large repository checks out cheaply.
    func checkout(_ commit: String, into destination: URL) async throws {
        try await Git.run(["clone", "--quiet", "--no-checkout", "--", path.path, destination.path])
        try await Git.run(["-C", destination.path, "checkout", "--quiet", "--detach", commit])
    }

    private func clone() async throws {
        try await StagedPublish(path, what: "new git mirror", stagingIn: layout.tmp, owner: lockID).publish { staged in
            try await Git.run(["clone", "--quiet", "--mirror", "--", url, staged.path])
        }
    }
}
