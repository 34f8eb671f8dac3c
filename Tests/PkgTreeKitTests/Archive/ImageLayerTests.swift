import Crypto
import Foundation
import Testing
@testable import PkgTreeKit

/// The image layer `release push` makes of a bootstrap: read back with the system's tar, gzip
/// and zstd, whose output must hash to the `diff_id`.
@Suite struct ImageLayerTests {
    /// A bootstrap-like tarball: entries relative to the install root, a relative link into
    /// `packages/`, a hard link, written by pkgtree's own writer as bootstraps are.
    static func bootstrap(_ fixture: ArchiveFixture, extra: String? = nil) throws -> URL {
        let tarball = fixture.url("test.bootstrap.tar.xz")
        let writer = try ArchiveWriter(writingTo: tarball, options: PackOptions(threads: 2, modificationTime: 0))
        try writer.add(directory: "packages")
        try writer.add(directory: "packages/hello--1")
        try writer.add(directory: "packages/hello--1/bin")
        try writer.add(file: "packages/hello--1/bin/hello", contents: Data("#!/bin/sh\necho hello\n".utf8), mode: 0o755)
        try writer.add(hardlink: "packages/hello--1/bin/hi", target: "packages/hello--1/bin/hello", mode: 0o755)
        try writer.add(directory: "bin")
        try writer.add(symlink: "bin/hello", target: "../packages/hello--1/bin/hello")
        if let extra { try writer.add(file: extra, contents: Data("x".utf8)) }
        try writer.add(file: "bootstrap", contents: Data())
        try writer.finish()
        return tarball
    }

    static func sha256(_ data: Data) -> String { "sha256:" + SHA256.hash(data: data).hexString }

    @Test(arguments: ImageLayer.Compression.allCases)
    func theLayerHoldsTheBootstrapUnderTheInstallRootAndItsDiffIDIsTheTarsDigest(compression: ImageLayer.Compression) async throws {
        let fixture = try ArchiveFixture()
        let layer = try ImageLayer.write(bootstrap: try Self.bootstrap(fixture), installRoot: "/opt/pkgtree", compression: compression,
                                         to: fixture.url("layer"), scratch: fixture.url("layer.tar"))
        #expect(!FileManager.default.fileExists(atPath: fixture.url("layer.tar").path) || compression == .none)
        let blob = try Data(contentsOf: layer.file)
        #expect(layer.digest == Self.sha256(blob) && layer.size == Int64(blob.count))
        let tar: Data = switch compression {
        case .gzip: Data(try await ArchiveFixture.run(["sh", "-c", "gzip -dc < '\(layer.file.path)' | base64 -w0"]).utf8)
        case .zstd: Data(try await ArchiveFixture.run(["sh", "-c", "zstd -dc < '\(layer.file.path)' | base64 -w0"]).utf8)
        case .none: Data(blob.base64EncodedString().utf8)
        }
        let uncompressed = try #require(Data(base64Encoded: tar))
        #expect(layer.diffID == Self.sha256(uncompressed) && layer.uncompressedSize == Int64(uncompressed.count))

        let listing = try await ArchiveFixture.run(["tar", "-tvf", layer.file.path]).split(separator: "\n")
        let paths = listing.map { String($0.split(separator: " ", maxSplits: 5).last ?? "") }
        #expect(paths.prefix(3) == ["opt/", "opt/pkgtree/", "opt/pkgtree/packages/"], "\(paths)")
        #expect(paths.contains("opt/pkgtree/bin/hello -> ../packages/hello--1/bin/hello"))
        #expect(paths.contains("opt/pkgtree/packages/hello--1/bin/hi link to opt/pkgtree/packages/hello--1/bin/hello"))
        #expect(listing.allSatisfy { $0.contains(" root/root ") && $0.contains(" 1970-01-01 ") }, "\(listing)")
        let root = fixture.url("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try await ArchiveFixture.run(["tar", "-xf", layer.file.path, "-C", root.path])
        #expect(try String(contentsOf: root.appendingPathComponent("opt/pkgtree/bin/hello"), encoding: .utf8) == "#!/bin/sh\necho hello\n")
    }

    @Test(arguments: ImageLayer.Compression.allCases)
    func theSameBootstrapGivesTheSameLayerBytes(compression: ImageLayer.Compression) async throws {
        let fixture = try ArchiveFixture()
        let bootstrap = try Self.bootstrap(fixture)
        let first = try ImageLayer.write(bootstrap: bootstrap, installRoot: "/opt/mesosphere", compression: compression,
                                         to: fixture.url("a"), scratch: fixture.url("a.tar"))
        let second = try ImageLayer.write(bootstrap: bootstrap, installRoot: "/opt/mesosphere", compression: compression,
                                          to: fixture.url("b"), scratch: fixture.url("b.tar"))
        #expect(first.digest == second.digest && first.diffID == second.diffID)
    }

    @Test func anEntryNamedAsAWhiteoutIsRefused() throws {
        let fixture = try ArchiveFixture()
        let bootstrap = try Self.bootstrap(fixture, extra: "packages/hello--1/.wh.config")
        #expect {
            try ImageLayer.write(bootstrap: bootstrap, installRoot: "/opt/pkgtree", compression: .gzip,
                                 to: fixture.url("layer"), scratch: fixture.url("layer.tar"))
        } throws: { error in
            "\(error)".contains("packages/hello--1/.wh.config") && "\(error)".contains("whiteout")
        }
    }
}
