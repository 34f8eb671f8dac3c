import Foundation
import Testing
@testable import PkgTreeKit

/// `url_extract` sources: downloaded from a real HTTP server, extracted with
/// `ArchiveExtractor`, with a single top-level directory stripped as pkgpanda did.
@Suite struct FetchExtractTests {
    let fixture: FetchFixture
    let server: FetchHTTPServer

    init() async throws {
        fixture = try FetchFixture()
        server = try await FetchHTTPServer(serving: fixture.served)
    }

    /// Writes an archive of `entries` (path -> content; a trailing "/" makes a directory)
    /// with Python's tarfile/zipfile, which write exactly the entries they are given.
    private func archive(_ name: String, _ entries: [(String, String)]) async throws -> Source {
        let script = #"""
import io, sys, tarfile, zipfile
out, entries = sys.argv[1], sys.argv[2:]
pairs = list(zip(entries[::2], entries[1::2]))
if out.endswith(".zip"):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in pairs: z.writestr(name, data)
else:
    mode = {"gz": "w:gz", "tgz": "w:gz", "xz": "w:xz", "bz2": "w:bz2"}[out.rsplit(".", 1)[1]]
    with tarfile.open(out, mode) as tar:
        for name, data in pairs:
            info = tarfile.TarInfo(name.rstrip("/"))
            if name.endswith("/"):
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data.encode()))
"""#
        let file = fixture.served.appending(path: name)
        try await ArchiveFixture.run(["python3", "-c", script, file.path] + entries.flatMap { [$0.0, $0.1] })
        let checksum = Checksum.sha256(try await FetchFixture.checksum(file, "sha256"))
        return .url(url: server.url(name), checksum: checksum, extract: true)
    }

    @Test(arguments: ["hello-1.0.tar.gz", "hello-1.0.tgz", "hello-1.0.tar.xz", "hello-1.0.tar.bz2", "hello-1.0.zip"])
    func singleTopLevelDirectoryIsStripped(_ name: String) async throws {
        let source = try await archive(name, [("hello-1.0/", ""), ("hello-1.0/README", "read me\n"),
                                        ("hello-1.0/src/main.c", "int main(void) { return 0; }\n")])
        let staged = try await fixture.prepare(source)
        #expect(FetchFixture.listing(staged) == ["README", "src", "src/main.c"])
        #expect(try String(contentsOf: staged.appending(path: "README"), encoding: .utf8) == "read me\n")
        // No scratch directory is left beside the result.
        #expect(try FileManager.default.contentsOfDirectory(atPath: staged.deletingLastPathComponent().path) == ["hello"])
    }

    @Test func archiveWithSeveralTopLevelEntriesIsKeptAsItIs() async throws {
        let source = try await archive("flat.tar.gz", [("a/", ""), ("a/x", "x\n"), ("b.txt", "b\n")])
        let staged = try await fixture.prepare(source)
        #expect(FetchFixture.listing(staged) == ["a", "a/x", "b.txt"])
    }

    @Test func singleTopLevelFileIsNotStripped() async throws {
        let source = try await archive("one.tar.gz", [("only.txt", "only\n")])
        let staged = try await fixture.prepare(source)
        #expect(FetchFixture.listing(staged) == ["only.txt"])
    }

    @Test func hostileArchiveIsRefusedAndLeavesNothing() async throws {
        let source = try await archive("evil.tar.gz", [("hello-1.0/README", "x\n"), ("../escape", "gotcha\n")])
        let staging = fixture.staging("build")
        let error = await #expect(throws: FetchError.self) { try await fixture.prepare(source, staging: staging) }
        guard case .extraction(let detail)? = error?.reason else {
            Issue.record("expected an extraction error, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("'..'"))
        #expect(error?.description.contains(server.url("evil.tar.gz")) == true)
        #expect(FetchFixture.listing(staging).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appending(path: "staging/escape").path))
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appending(path: "escape").path))
    }

    @Test func preparingAgainReplacesTheStagedTree() async throws {
        let source = try await archive("hello-1.0.tar.gz", [("hello-1.0/README", "read me\n")])
        let staging = fixture.staging("build")
        _ = try await fixture.prepare(source, staging: staging)
        try fixture.write("build/hello/leftover", "from a killed build\n", under: fixture.root.appending(path: "staging"))
        let staged = try await fixture.prepare(source, staging: staging)
        #expect(FetchFixture.listing(staged) == ["README"])
    }
}
