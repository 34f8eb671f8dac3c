import Foundation
import Testing
@testable import PkgTreeKit

/// What pkgtree unpacks does not depend on the umask of whoever runs it, and unpacking never
/// changes that umask. libarchive reads the umask by setting it to 0 and back, and makes the
/// parents an archive names no entry for `0777 & ~umask`.
@Suite struct ArchiveUmaskTests {
    /// The process's umask, read from `/proc` (reading it through `umask(2)` would set it).
    static func processUmask() throws -> String {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        return try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") }).description
    }

    @Test func parentsWithoutEntriesAre0755() async throws {
        let fixture = try ArchiveFixture()
        let archive = fixture.url("no-directories.tar.gz")
        try await ArchiveFixture.python("""
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz") as tar:
                info = tarfile.TarInfo("opt/mesosphere/lib/libfoo.so")
                info.size, info.mode = 4, 0o644
                tar.addfile(info, io.BytesIO(b"elf\\n"))
            """, archive.path)
        let destination = fixture.url("out")
        try ArchiveExtractor.extract(archive, into: destination)
        #expect(try fixture.listing(destination) == [
            "opt d755", "opt/mesosphere d755", "opt/mesosphere/lib d755", "opt/mesosphere/lib/libfoo.so f644 4",
        ])
    }

    /// Two writers created at once used to be able to leave the umask at 0 for good (without
    /// the fix, 2 threads of 1,000 writers each did so in every run here; kept small because the
    /// writers' lock is the whole process's, and this test runs beside every other).
    @Test func creatingWritersOnManyThreadsLeavesTheUmaskAsItWas() async throws {
        let fixture = try ArchiveFixture()
        try fixture.mkdir("root")
        let root = fixture.url("root").path
        let before = try Self.processUmask()
        try await DispatchedWork.run {
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                for _ in 0..<1_000 { _ = try? DiskWriter(root: root, archive: "umask-test") }
            }
        }
        #expect(try Self.processUmask() == before)
    }
}
