import Foundation
import Testing
@testable import PkgTreeKit

/// Inputs the archive fuzz target (fuzz/README.md) caught, kept in Fixtures/FuzzRegressions:
/// sparse files and zip entries whose data the reader or the extractor mishandled.
@Suite struct ArchiveFuzzRegressionTests {
    static func input(_ name: String) throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/FuzzRegressions/\(name)")
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(url.path)")
        return url
    }

    /// GNU tar's sparse file of 20003 bytes: "data" at 8192, "end" at 20000, holes elsewhere.
    /// The reader used to drop the holes (7715 bytes), unlike the extractor.
    @Test func sparseFileIsReadWithItsHolesAsExtractionWritesIt() throws {
        let archive = try Self.input("sparse-with-holes.tar")
        let reader = try ArchiveReader(archive)
        let entry = try #require(try reader.next())
        #expect(entry.path == "sparse" && entry.size == 20003)
        let data = try reader.readData()
        var expected = Data(count: 20003)
        expected.replaceSubrange(8192..<8196, with: Data("data".utf8))
        expected.replaceSubrange(20000..<20003, with: Data("end".utf8))
        #expect(data == expected)

        let fixture = try ArchiveFixture()
        try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        #expect(FileManager.default.contents(atPath: fixture.url("dest/sparse").path) == expected)
    }

    /// A sparse block at offset 100000 of a file declared 10 bytes long: libarchive's disk
    /// writer only warned (a write(2) of a negative length) and the extraction "succeeded".
    @Test func sparseBlockPastTheDeclaredSizeIsRefused() throws {
        let fixture = try ArchiveFixture()
        let error = try #require(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(Self.input("hostile-sparse-past-declared-size.tar"), into: fixture.url("dest"))
        }
        #expect(error.kind == .unsafeEntry && error.entry == "sparse", "\(error)")
        #expect(error.message.contains("10 bytes its header declares"), "\(error)")
    }

    /// A 140-byte zip whose stored entry declares 8060928 bytes and holds none: libarchive
    /// reads it as empty without a word, and the extractor wrote 8 MB of zeros.
    @Test func fileHoldingLessThanItsHeaderDeclaresIsRefused() throws {
        let archive = try Self.input("crash-zip-stored-entry-without-its-data.zip")
        let fixture = try ArchiveFixture()
        let extractError = try #require(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        }
        let reader = try ArchiveReader(archive)
        #expect(try reader.next()?.size == 8_060_928)
        let readError = try #require(throws: ArchiveError.self) { try reader.readData() }
        for error in [extractError, readError] {
            #expect(error.kind == .unsafeEntry && error.entry == "d/PK", "\(error)")
            #expect(error.message.contains("holds 0 bytes, not the 8060928 its header declares"), "\(error)")
        }
    }

    /// Zip entries whose data contradicts their headers. libarchive reports both only as
    /// warnings, which passed: the bad-CRC file was extracted as it was, the short one padded
    /// with zeros to its declared 20000 bytes.
    @Test(arguments: [("hostile-zip-bad-crc.zip", "a.txt", "bad CRC"),
                      ("hostile-zip-shorter-than-declared.zip", "b.txt", "wrong size (read 10, expected 20000)")])
    func zipDataContradictingItsHeaderIsRefused(_ name: String, _ entry: String, _ detail: String) throws {
        let archive = try Self.input(name)
        let fixture = try ArchiveFixture()
        let extractError = try #require(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive, into: fixture.url("dest"))
        }
        let reader = try ArchiveReader(archive)
        _ = try reader.next()
        let readError = try #require(throws: ArchiveError.self) { try reader.readData() }
        for error in [extractError, readError] {
            #expect(error.kind == .unsafeEntry && error.entry == entry, "\(error)")
            #expect(error.message.contains(detail), "\(error)")
        }
    }
}
