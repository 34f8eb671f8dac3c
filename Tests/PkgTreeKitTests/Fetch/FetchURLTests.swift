import Foundation
import Testing
@testable import PkgTreeKit

/// `url` sources against a real HTTP server on 127.0.0.1.
@Suite struct FetchURLTests {
    let fixture: FetchFixture
    let server: FetchHTTPServer
    let file: URL

    init() async throws {
        fixture = try FetchFixture()
        server = try await FetchHTTPServer(serving: fixture.served)
        file = try fixture.write("hello-1.0.txt", "hello, world\n", under: fixture.served)
    }

    private func source(_ checksum: Checksum, path: String = "hello-1.0.txt") -> Source {
        .url(url: server.url(path), checksum: checksum, extract: false)
    }

    @Test func downloadsOnceVerifiesAndKeepsTheFileName() async throws {
        let sha256 = try await FetchFixture.checksum(file, "sha256")
        let staged = try await fixture.prepare(source(.sha256(sha256)))
        #expect(FetchFixture.listing(staged) == ["hello-1.0.txt"])
        #expect(try String(contentsOf: staged.appending(path: "hello-1.0.txt"), encoding: .utf8) == "hello, world\n")
        let cached = fixture.layout.sources.appending(path: "sha256/\(sha256)")
        #expect(try await FetchFixture.checksum(cached, "sha256") == sha256)
        #expect(FetchFixture.listing(fixture.layout.tmp).isEmpty)
        // The build's file is a copy it may change: the cached download never does.
        #expect(FileStatus.of(staged.appending(path: "hello-1.0.txt").path)?.inode != FileStatus.of(cached.path)?.inode)
        try Data("edited by the build\n".utf8).write(to: staged.appending(path: "hello-1.0.txt"))
        #expect(try await FetchFixture.checksum(cached, "sha256") == sha256)

        // The second build is served from the cache: the server no longer has the file.
        try FileManager.default.removeItem(at: file)
        let again = try await fixture.prepare(source(.sha256(sha256)))
        #expect(FetchFixture.listing(again) == ["hello-1.0.txt"])
        #expect(server.gets("hello-1.0.txt") == 1)
    }

    @Test func legacySHA1IsVerifiedAndCachedUnderItsAlgorithm() async throws {
        let sha1 = try await FetchFixture.checksum(file, "sha1")
        let staged = try await fixture.prepare(source(.sha1(sha1)))
        #expect(FetchFixture.listing(staged) == ["hello-1.0.txt"])
        #expect(FetchFixture.listing(fixture.layout.sources) == ["sha1", "sha1/\(sha1)"])
    }

    @Test func concurrentBuildsDownloadASharedSourceOnce() async throws {
        let checksum = Checksum.sha256(try await FetchFixture.checksum(file, "sha256"))
        let fixture = fixture, source = source(checksum)
        async let first = fixture.prepare(source)
        async let second = fixture.prepare(source)
        let staged = try await [first, second]
        #expect(staged.map(FetchFixture.listing) == [["hello-1.0.txt"], ["hello-1.0.txt"]])
        #expect(server.gets("hello-1.0.txt") == 1)
    }

    @Test func wrongChecksumNamesBothDigestsAndTheURLAndStoresNothing() async throws {
        let actual = try await FetchFixture.checksum(file, "sha256")
        let expected = String(repeating: "0", count: 64)
        let error = await #expect(throws: FetchError.self) { try await fixture.prepare(source(.sha256(expected))) }
        #expect(error?.reason == .checksumMismatch(expected: "sha256 \(expected)", actual: "sha256 \(actual)"))
        let message = error?.description ?? ""
        for part in [expected, actual, server.url("hello-1.0.txt"), "source 'hello'", "nothing was stored"] {
            #expect(message.contains(part), "\(message) lacks \(part)")
        }
        #expect(FetchFixture.listing(fixture.layout.sources).isEmpty)
        #expect(FetchFixture.listing(fixture.layout.tmp).isEmpty)
    }

    @Test func missingFileIsAnHTTPErrorNamingTheStatus() async throws {
        let error = await #expect(throws: FetchError.self) {
            try await fixture.prepare(source(.sha256(String(repeating: "a", count: 64)), path: "nope.tar.gz"))
        }
        #expect(error?.reason == .httpStatus(404))
        #expect(error?.description.contains("HTTP 404") == true)
        #expect(error?.description.contains(server.url("nope.tar.gz")) == true)
        #expect(FetchFixture.listing(fixture.layout.sources).isEmpty)
    }

    @Test func unreachableServerSaysSo() async throws {
        await server.stop()
        let closed = try await ClosedPort()
        let url = "http://127.0.0.1:\(closed.port)/hello-1.0.txt"
        let error = await #expect(throws: FetchError.self) {
            try await fixture.prepare(.url(url: url, checksum: .sha256(String(repeating: "a", count: 64)), extract: false))
        }
        #expect(error?.reason == .unreachable("connection refused"))
        #expect(error?.description.contains(url) == true)
        #expect(FetchFixture.listing(fixture.layout.sources).isEmpty)
        await closed.stop()
    }

    /// pkgpanda accepts `file://` URLs relative to the package directory.
    @Test func relativeFileURLIsReadFromThePackageDirectory() async throws {
        let vendored = try fixture.write("vendor/tool.bin", "vendored\n", under: fixture.packageDirectory)
        let checksum = Checksum.sha256(try await FetchFixture.checksum(vendored, "sha256"))
        let staged = try await fixture.prepare(.url(url: "file://vendor/tool.bin", checksum: checksum, extract: false))
        #expect(FetchFixture.listing(staged) == ["tool.bin"])
    }

    @Test(arguments: ["ftp://example.com/x.tar.gz", "not a url", "file://"])
    func unusableURLIsRefused(_ url: String) async throws {
        let error = await #expect(throws: FetchError.self) {
            try await fixture.prepare(.url(url: url, checksum: .sha256(String(repeating: "a", count: 64)), extract: false))
        }
        #expect(error?.reason == .invalidSource("not a usable URL"))
    }

    @Test func fileNameFallsBackToTheSourceNameWhenTheURLHasNone() throws {
        let location = try #require(SourceLocation("https://example.com/", packageDirectory: fixture.root))
        #expect(location.fileName(fallback: "hello") == "hello")
        let query = try #require(SourceLocation("https://example.com/a/b-1.0.tar.gz?raw=1", packageDirectory: fixture.root))
        #expect(query.fileName(fallback: "hello") == "b-1.0.tar.gz")
    }
}
