import Foundation
import Testing
@testable import PkgTreeKit

/// Image layers applied in order as engines apply them: whiteouts delete what lower layers
/// put there, an opaque directory hides all of it but never the layer's own entries, entries
/// replace whatever is at their path, and paths through the image's symlinks resolve inside
/// the root filesystem, as in a chroot. Layers are written by the system's tar and by Python's
/// tarfile (for entry orders and links that tar would not write).
@Suite struct ImageLayerUnpackerTests {
    /// Writes a tar (gzip-compressed) of `entries`, in that order: `(path, kind, text)`, where
    /// kind is `f` (file, text its content, mode 0644), `x` (0755 file), `d`, `l` (symlink to
    /// text) or `h` (hard link to text).
    static func layer(_ fixture: ArchiveFixture, _ name: String, _ entries: [(String, Character, String)]) async throws -> URL {
        let spec = String(decoding: try JSONSerialization.data(withJSONObject: entries.map { [$0.0, String($0.1), $0.2] }), as: UTF8.self)
        let file = fixture.url(name)
        try await ArchiveFixture.python("""
            import io, json, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT) as tar:
                for path, kind, text in json.loads(sys.argv[2]):
                    info = tarfile.TarInfo(path)
                    info.mtime = 1700000000
                    if kind in "fx":
                        data = text.encode()
                        info.size, info.mode = len(data), 0o755 if kind == "x" else 0o644
                        tar.addfile(info, io.BytesIO(data))
                        continue
                    info.type, info.mode = {"d": (tarfile.DIRTYPE, 0o755), "l": (tarfile.SYMTYPE, 0o777), "h": (tarfile.LNKTYPE, 0o644)}[kind]
                    info.linkname = text
                    tar.addfile(info)
            """, file.path, spec)
        return file
    }

    @Test func layersApplyInOrderWithWhiteoutsOpaqueDirectoriesAndReplacements() async throws {
        let fixture = try ArchiveFixture()
        // The first layer as an image build leaves it: merged /usr, made by the system's tar.
        try fixture.write("base/etc/keep", "kept\n")
        try fixture.write("base/etc/gone", "whited out\n")
        try fixture.write("base/etc/was-file", "a file below\n")
        try fixture.write("base/opt/app/old/deep", "hidden by the opaque directory\n")
        try fixture.write("base/opt/app/old2", "hidden too\n")
        try fixture.write("base/usr/bin/tool", "v1\n", mode: 0o755)
        try fixture.symlink("base/bin", to: "usr/bin")
        try fixture.symlink("base/usr/bin/awk", to: "/etc/alternatives/awk")
        let base = fixture.url("base.tar.zst")
        try await ArchiveFixture.run(["tar", "--zstd", "-C", fixture.url("base").path, "-cf", base.path, "."])

        let second = try await Self.layer(fixture, "second.tar.gz", [
            ("opt/app/new", "f", "this layer's, before the marker\n"),
            ("opt/app/.wh..wh..opq", "f", ""),
            ("etc/.wh.gone", "f", ""),
            ("etc/was-file", "d", ""),
            ("etc/was-file/inner", "f", "a directory now\n"),
            ("bin/added", "x", "through bin -> usr/bin\n"),
            ("usr/bin/tool", "x", "v2\n"),
            ("usr/bin/tool-link", "h", "usr/bin/tool"),
            ("dev/null", "f", "never unpacked\n"),
            ("opt/.wh..wh.plnk", "f", ""),
        ])
        let third = try await Self.layer(fixture, "third.tar.gz", [
            ("usr/bin/.wh.awk", "f", ""),
            ("opt/app", "l", "/srv"),
            ("etc/keep-link", "h", "etc/keep"),
        ])
        let root = fixture.url("rootfs")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for layer in [base, second, third] {
            try ImageLayerUnpacker.apply(layer, to: root, restoringOwners: false)
        }
        let listing = try fixture.listing(root)
        #expect(listing == [
            "bin l->usr/bin", "etc d755", "etc/keep f644 5", "etc/keep-link f644 5",
            "etc/was-file d755", "etc/was-file/inner f644 16",
            "opt d755", "opt/app l->/srv",
            "usr d755", "usr/bin d755", "usr/bin/added f755 23", "usr/bin/tool f755 3", "usr/bin/tool-link f755 3",  // one file: the mode is the one it had
        ], "\(listing)")
        #expect(try String(contentsOf: root.appendingPathComponent("usr/bin/tool"), encoding: .utf8) == "v2\n")
    }

    @Test func anOpaqueDirectoryKeepsOnlyWhatItsOwnLayerWrote() async throws {
        let fixture = try ArchiveFixture()
        let lower = try await Self.layer(fixture, "lower.tar.gz", [
            ("srv/d/a", "f", "lower\n"), ("srv/d/sub/b", "f", "lower\n"), ("srv/other", "f", "untouched\n"),
        ])
        let upper = try await Self.layer(fixture, "upper.tar.gz", [
            ("srv/d/sub/c", "f", "upper\n"), ("srv/d/.wh..wh..opq", "f", ""),
        ])
        let root = fixture.url("rootfs")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ImageLayerUnpacker.apply(lower, to: root, restoringOwners: false)
        let result = try ImageLayerUnpacker.apply(upper, to: root, restoringOwners: false)
        #expect(result.whiteouts == 1)
        let listing = try fixture.listing(root)
        #expect(listing == ["srv d755", "srv/d d755", "srv/d/sub d755", "srv/d/sub/c f644 6", "srv/other f644 10"], "\(listing)")
    }

    /// The image's own links may point anywhere on the host; followed as in a chroot, they
    /// lead back into the root filesystem, and nothing is written outside it.
    @Test func pathsThroughTheImagesSymlinksStayInsideTheRootFilesystem() async throws {
        let fixture = try ArchiveFixture()
        let outside = fixture.url("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let hostile = try await Self.layer(fixture, "hostile.tar.gz", [
            ("escape", "l", outside.path),
            ("escape/planted", "f", "stays inside\n"),
            ("up", "l", "../../.."),
            ("up/climbed", "f", "stays inside too\n"),
            ("loop", "l", "loop"),
        ])
        let root = fixture.url("rootfs")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ImageLayerUnpacker.apply(hostile, to: root, restoringOwners: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(try String(contentsOf: root.appendingPathComponent(String(outside.path.dropFirst()) + "/planted"), encoding: .utf8) == "stays inside\n")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("climbed").path))

        let looping = try await Self.layer(fixture, "looping.tar.gz", [("loop/file", "f", "")])
        #expect(throws: ArchiveError.self) { try ImageLayerUnpacker.apply(looping, to: root, restoringOwners: false) }
        let dotDot = try await Self.layer(fixture, "dotdot.tar.gz", [("../escaped", "f", "")])
        #expect(throws: ArchiveError.self) { try ImageLayerUnpacker.apply(dotDot, to: root, restoringOwners: false) }
        #expect(!FileManager.default.fileExists(atPath: fixture.url("escaped").path))
        let dangling = try await Self.layer(fixture, "dangling.tar.gz", [("bad-link", "h", "no/such/file")])
        #expect(throws: ArchiveError.self) { try ImageLayerUnpacker.apply(dangling, to: root, restoringOwners: false) }
    }
}
