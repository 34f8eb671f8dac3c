import Foundation
import Testing
@testable import PkgTreeKit

/// A full disk seen through each layer: libarchive's writer says only "Write error", so the
/// archive layer must keep the system's ENOSPC for the cache to turn it into its clear error.
/// `/dev/full` fails every write with ENOSPC, without needing a full filesystem.
@Suite struct NoSpaceTests {
    static let full = URL(fileURLWithPath: "/dev/full")

    static func sampleOutput(_ cache: CacheFixture) throws -> URL {
        try cache.output("payload", content: Data(repeating: 7, count: 1 << 20))
    }

    @Test func packingOntoAFullDeviceThrowsAnArchiveErrorThatKeepsENOSPC() async throws {
        let cache = try await CacheFixture()
        let error = try #require(throws: ArchiveError.self) {
            try ArchivePacker.pack(directory: try Self.sampleOutput(cache), to: Self.full)
        }
        #expect(error.systemError == ENOSPC)
        #expect(error.message.contains("No space left on device"), "\(error)")
        #expect(SystemError.isNoSpace(error))
    }

    @Test func aStoreThatRunsOutOfSpaceSaysSoNamingTheCacheAndLeavesNothing() async throws {
        let cache = try await CacheFixture()
        let output = try Self.sampleOutput(cache)
        let error = try await #require(throws: CacheError.self) {
            try await cache.store.place(CacheFixture.description("big--1")) { _ in try ArchivePacker.pack(directory: output, to: Self.full) }
        }
        #expect("\(error)" == "\(cache.layout.root.path): no space left on the device; nothing was stored. Free space (or `pkgtree cache gc`) and run again")
        #expect(try cache.index.artifact(id: "big--1") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.layout.tmp.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cache.layout.packages.appendingPathComponent("x86_64/big").path))
    }
}
