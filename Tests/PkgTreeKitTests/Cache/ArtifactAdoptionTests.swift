import Foundation
import Testing
@testable import PkgTreeKit

/// Artifacts without a row are adopted only when they are what their name says; anything else
/// is refused with the reason, and removed.
struct ArtifactAdoptionTests {
    /// A real package archive as a build packs it: `pkginfo.json`, `buildinfo.full.json` whose
    /// inputs hash to the id, and a file of content.
    struct Package {
        var name = "zlib"
        var arch = Architecture.x86_64
        var requires = ["base--0123456789012345678901234567890123456789"]
        var inputs: [String: JSONValue] {
            ["format": .string(PackageInputs.formatVersion), "name": .string(name), "variant": .null, "arch": .string(arch.rawValue),
             "buildinfo": .object(["version_extra": "1.3"]), "builder": .object(["kind": "recipe", "digest": "abc"])]
        }
        var id: String {
            PackageIDs.id(of: .init(name: name, versionExtra: "1.3", inputs: .object(inputs), requires: []), requirementIDs: requires)
        }

        /// Packs it into `packages/<arch>/<name>/<file name>.tar.xz`; `metadata` may change what
        /// `buildinfo.full.json` says.
        func pack(into cache: CacheFixture, fileID: String? = nil, archDirectory: String? = nil,
                  metadata: (inout [String: JSONValue]) -> Void = { _ in }, withBuildInfo: Bool = true) throws -> URL {
            let output = cache.layout.root.appendingPathComponent("output-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: output.appendingPathComponent("lib"), withIntermediateDirectories: true)
            try Data(String(repeating: "compressible content\n", count: 4000).utf8).write(to: output.appendingPathComponent("lib/libz.so"))
            try Data("{\"requires\":[]}\n".utf8).write(to: output.appendingPathComponent("pkginfo.json"))
            var full = inputs
            full["requires"] = .array(requires.map(JSONValue.string))
            full["package_id"] = .string(id)
            metadata(&full)
            if withBuildInfo {
                try Data((CanonicalJSON.string(.object(full)) + "\n").utf8).write(to: output.appendingPathComponent("buildinfo.full.json"))
            }
            let file = cache.layout.packages.appendingPathComponent("\(archDirectory ?? arch.rawValue)/\(name)/\(fileID ?? id).tar.xz")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try ArchivePacker.pack(directory: output, to: file)
            return file
        }
    }

    @Test func anIntactArtifactGetsTheRowABuildWouldHaveWritten() async throws {
        let cache = try await CacheFixture()
        let package = Package()
        let file = try package.pack(into: cache)
        let report = try ArtifactAdoption.adopt([file], into: cache.index)
        #expect(report.adopted == [cache.layout.relativePath(of: file)] && report.refused.isEmpty)
        let row = try #require(try cache.index.artifact(id: package.id))
        var inputs = package.inputs
        inputs["requires"] = .array(package.requires.map(JSONValue.string))
        #expect(row.inputs == CanonicalJSON.string(.object(inputs)))
        #expect(row.builder == CanonicalJSON.string(package.inputs["builder"]!))
        #expect(row.sha256 == (try FileHasher.sha256(file)) && row.name == "zlib" && row.arch == "x86_64" && row.variant == nil)
        #expect(try CacheVerifier.run(cache.index).isEmpty)
    }

    enum Damage: String, CaseIterable {
        case renamed, tamperedInputs, noBuildInfo, wrongArchitectureDirectory, truncated, flippedByte, notAnArchive
    }

    @Test(arguments: Damage.allCases)
    func aFileThatIsNotWhatItsNameSaysIsRefusedAndRemoved(damage: Damage) async throws {
        let cache = try await CacheFixture()
        let package = Package()
        let file: URL
        let reason: String
        switch damage {
        case .renamed:
            let other = "zlib--1.3-" + String(repeating: "f", count: 40)
            file = try package.pack(into: cache, fileID: other)
            reason = "its buildinfo.full.json is of '\(package.id)', not of '\(other)'"
        case .tamperedInputs:
            file = try package.pack(into: cache) { $0["builder"] = .object(["kind": "reference", "reference": "golang:1.8"]) }
            reason = "its buildinfo.full.json hashes to 'zlib--1.3-"
        case .noBuildInfo:
            file = try package.pack(into: cache, withBuildInfo: false)
            reason = "has no buildinfo.full.json: not a package pkgtree built"
        case .wrongArchitectureDirectory:
            file = try package.pack(into: cache, archDirectory: "aarch64")
            reason = "is of another package or architecture than its place in the cache"
        case .truncated:
            file = try package.pack(into: cache)
            let bytes = try Data(contentsOf: file)
            try bytes.prefix(bytes.count - 16).write(to: file)
            reason = "the xz stream lacks its end (the file is truncated)"
        case .flippedByte:
            file = try package.pack(into: cache)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0x55
            try bytes.write(to: file)
            reason = "cannot be read to its end: "
        case .notAnArchive:
            file = cache.layout.packages.appendingPathComponent("x86_64/zlib/\(package.id).tar.xz")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("not an archive".utf8).write(to: file)
            reason = "cannot be read to its end: "
        }
        let report = try ArtifactAdoption.adopt([file], into: cache.index)
        #expect(report.adopted.isEmpty)
        #expect(report.refused.map(\.path) == [cache.layout.relativePath(of: file)])
        #expect(report.refused.first?.reason.contains(reason) == true, "\(report.refused)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try cache.index.artifacts().isEmpty)
    }

    @Test func aMissingIndexIsRebuiltFromTheArtifactsWhenTheCacheOpens() async throws {
        let cache = try await CacheFixture()
        let files = try [Package(), Package(name: "curl"), Package(name: "zlib", arch: .aarch64)].map { try $0.pack(into: cache) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cache.layout.index.path + suffix) }
        let reopened = try await CacheIndex.open(cache.layout)
        #expect(reopened.recovery?.rebuild.adopted.sorted() == files.map { cache.layout.relativePath(of: $0) }.sorted())
        #expect(reopened.recovery?.summary == "rebuilt the cache index from 3 artifacts")
        #expect(try reopened.artifacts().count == 3)
        #expect(try await CacheIndex.open(cache.layout).recovery == nil, "a sound index is opened as it is")
    }
}
