import Foundation
import Testing
@testable import PkgTreeKit

/// A fresh directory for one fetch test: a cache, a package directory, files to serve, and
/// per-build staging directories.
struct FetchFixture {
    let root: URL
    let layout: CacheLayout
    var fetcher: SourceFetcher { SourceFetcher(layout: layout) }
    var packageDirectory: URL { root.appending(path: "packages/hello") }
    /// What the test HTTP server serves.
    var served: URL { root.appending(path: "served") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "pkgtree-fetch-\(UUID().uuidString)")
        layout = CacheLayout(root: root.appending(path: "cache"))
        for directory in [packageDirectory, served] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
    }

    /// A new, empty staging directory, as one build would get.
    func staging(_ name: String = UUID().uuidString) -> URL {
        root.appending(path: "staging/\(name)")
    }

    @discardableResult
    func write(_ path: String, _ content: String, under directory: URL? = nil) throws -> URL {
        let file = (directory ?? root).appending(path: path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: file)
        return file
    }

    /// Prepares one source named `name` into a fresh staging directory.
    func prepare(_ source: Source, name: String = "hello", staging: URL? = nil) async throws -> URL {
        let paths = try await fetcher.prepare(sources: [name: source], packageDirectory: packageDirectory,
                                              staging: staging ?? self.staging())
        return try #require(paths[name])
    }

    /// Every file and directory below `directory`, relative and sorted (empty if it is missing).
    static func listing(_ directory: URL) -> [String] {
        (FileManager.default.subpaths(atPath: directory.path) ?? []).sorted()
    }

    /// `sha1sum`/`sha256sum` of a file, from the system's own tools rather than our hasher.
    static func checksum(_ file: URL, _ algorithm: String) async throws -> String {
        String(try await ArchiveFixture.run(["\(algorithm)sum", file.path]).prefix { $0 != " " })
    }
}
