import Foundation
import Testing
@testable import PkgTreeKit

/// `git` sources from a real bare repository, and `git_local` sources.
@Suite struct FetchGitTests {
    let fixture: FetchFixture
    let repository: FetchGitRepository

    init() async throws {
        fixture = try FetchFixture()
        repository = try await FetchGitRepository(in: fixture.root)
    }

    private func source(_ ref: String, origin: String? = "main") -> Source {
        .git(url: repository.bare.path, ref: ref, refOrigin: origin)
    }

    private func read(_ file: String, in tree: URL) throws -> String {
        try String(contentsOf: tree.appending(path: file), encoding: .utf8)
    }

    @Test func checksOutTheExactCommit() async throws {
        let first = try await repository.commit(["VERSION": "1\n", "src/a.c": "a\n"], message: "first")
        try await repository.commit(["VERSION": "2\n", "src/b.c": "b\n"], message: "second")
        let tree = try await fixture.prepare(source(first))
        #expect(try read("VERSION", in: tree) == "1\n")
        #expect(!FileManager.default.fileExists(atPath: tree.appending(path: "src/b.c").path))
        let head = try await ArchiveFixture.run(["git", "-C", tree.path, "rev-parse", "HEAD"])
        #expect(head.trimmingCharacters(in: .whitespacesAndNewlines) == first)
        #expect(try await ArchiveFixture.run(["git", "-C", tree.path, "status", "--porcelain"]).isEmpty)
        let mirrors = try FileManager.default.contentsOfDirectory(atPath: fixture.layout.sources.appending(path: "git").path)
        #expect(mirrors.count == 1 && mirrors[0].hasPrefix("hello-") && mirrors[0].hasSuffix(".git"))
        #expect(FetchFixture.listing(fixture.layout.tmp).isEmpty)
    }

    @Test func mirrorIsFetchedOnlyForMissingCommitsAndThenWorksOffline() async throws {
        let first = try await repository.commit(["VERSION": "1\n"], message: "first")
        #expect(try read("VERSION", in: try await fixture.prepare(source(first))) == "1\n")
        // A commit pushed after the mirror was made: fetched because it is missing.
        let second = try await repository.commit(["VERSION": "2\n"], message: "second")
        #expect(try read("VERSION", in: try await fixture.prepare(source(second))) == "2\n")
        // With the remote gone, both commits still come from the mirror.
        try FileManager.default.removeItem(at: repository.bare)
        #expect(try read("VERSION", in: try await fixture.prepare(source(first))) == "1\n")
        #expect(try read("VERSION", in: try await fixture.prepare(source(second))) == "2\n")
    }

    @Test func missingCommitNamesTheRefTheRepositoryAndTheBranch() async throws {
        try await repository.commit(["VERSION": "1\n"], message: "first")
        let missing = String(repeating: "1234abcd", count: 5)
        let staging = fixture.staging("build")
        let error = await #expect(throws: FetchError.self) { try await fixture.prepare(source(missing), staging: staging) }
        #expect(error?.reason == .refNotFound(ref: missing))
        let message = error?.description ?? ""
        for part in [missing, repository.bare.path, "'ref_origin' (main)", "git ls-remote"] {
            #expect(message.contains(part), "\(message) lacks \(part)")
        }
        #expect(FetchFixture.listing(staging).isEmpty)
    }

    @Test func unreadableRepositoryIsAGitError() async throws {
        let url = fixture.root.appending(path: "no-such-repo.git").path
        let error = await #expect(throws: FetchError.self) {
            try await fixture.prepare(.git(url: url, ref: String(repeating: "a", count: 40), refOrigin: nil))
        }
        guard case .git(let detail)? = error?.reason else {
            Issue.record("expected a git error, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("git clone --quiet --mirror -- \(url)"))
        #expect(error?.description.contains(url) == true)
        #expect(FetchFixture.listing(fixture.layout.sources.appending(path: "git")).isEmpty)
        #expect(FetchFixture.listing(fixture.layout.tmp).isEmpty)
    }

    /// `git clone --upload-pack=…` would run a command; the URL is always passed after `--`.
    @Test func urlThatLooksLikeAnOptionIsOnlyARepositoryName() async throws {
        let marker = fixture.root.appending(path: "ran")
        let url = "--upload-pack=touch \(marker.path)"
        await #expect(throws: FetchError.self) {
            try await fixture.prepare(.git(url: url, ref: String(repeating: "a", count: 40), refOrigin: nil))
        }
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test func gitLocalIsAFreshCopyOfThePackageRelativePath() async throws {
        let tree = fixture.root.appending(path: "packages/shared-src")
        try fixture.write("main.c", "int main(void) { return 0; }\n", under: tree)
        let staging = fixture.staging("build")
        let path = try await fixture.prepare(.gitLocal(relativePath: "../shared-src"), staging: staging)
        #expect(path == staging.appending(path: "hello"))
        #expect(FetchFixture.listing(staging) == ["hello", "hello/main.c"])
        // The build may write to its copy; the package's own directory stays as it was.
        try fixture.write("main.c", "changed by the build\n", under: path)
        #expect(try String(contentsOf: tree.appending(path: "main.c"), encoding: .utf8) == "int main(void) { return 0; }\n")
        let again = try await fixture.prepare(.gitLocal(relativePath: "../shared-src"), staging: fixture.staging("next"))
        #expect(try String(contentsOf: again.appending(path: "main.c"), encoding: .utf8) == "int main(void) { return 0; }\n")
    }

    @Test(arguments: ["missing-dir", "/abs/path"])
    func gitLocalMustExistAndBeRelative(_ relativePath: String) async throws {
        let error = await #expect(throws: FetchError.self) {
            try await fixture.prepare(.gitLocal(relativePath: relativePath))
        }
        guard case .invalidSource? = error?.reason else {
            Issue.record("expected an invalid source, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(relativePath) == true)
    }

    @Test func oneCallPreparesEverySourceOfAPackage() async throws {
        let commit = try await repository.commit(["VERSION": "1\n"], message: "first")
        try fixture.write("local/notes.txt", "notes\n", under: fixture.packageDirectory)
        let staging = fixture.staging("build")
        let paths = try await fixture.fetcher.prepare(
            sources: ["code": source(commit), "notes": .gitLocal(relativePath: "local")],
            packageDirectory: fixture.packageDirectory, staging: staging)
        #expect(paths == ["code": staging.appending(path: "code"), "notes": staging.appending(path: "notes")])
    }
}
