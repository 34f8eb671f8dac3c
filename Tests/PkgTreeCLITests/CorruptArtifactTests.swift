import Foundation
import Testing
import RegistryTestSupport

/// A cached artifact damaged on disk is noticed by the next build, which says so, rebuilds it
/// (and its row), and leaves a cache that verifies.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct CorruptArtifactTests {
    enum Damage: String, CaseIterable {
        /// Bytes flipped in the middle; the size stays.
        case flipped
        /// The same, with the old mtime put back (`touch -r`): the ctime still tells.
        case flippedWithMtimeRestored
        /// Cut to half its size.
        case truncated
    }

    @Test(arguments: Damage.allCases)
    func theNextBuildRebuildsADamagedArtifactAndSaysSo(damage: Damage) async throws {
        // p03 requires p00 and p01; p00 is damaged.
        let scratch = try SyntheticTree.make(count: 4)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let arguments = SyntheticTree.buildArguments(scratch, cache: cache, runner: "bwrap")
        let first = try await CLIRunner.run(arguments, cache: cache)
        #expect(first.status == 0, "\(first.stderr)")
        let victim = try #require(try Self.artifact("p00", in: cache))
        try await Self.damage(victim, damage, scratch: scratch)

        let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(plan.stdout.contains("1 to build, 3 cached"), "\(plan.stdout)")
        let again = try await CLIRunner.run(arguments, cache: cache)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("repair: \(victim.path) was corrupted ("), "\(again.stderr)")
        #expect(again.stderr.contains("rebuilding p00"))
        let events = try BuildEvents.parse(again.stdout)
        #expect(BuildEvents.packages("finished", in: events) == ["p00"])
        #expect(BuildEvents.packages("cached", in: events).sorted() == ["p01", "p02", "p03"])
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && verify.stdout.contains("verified 4 artifact(s): all good"), "\(verify.stdout)")
        #expect(!verify.stderr.contains("repair:"), "\(verify.stderr)")
        let list = try await CLIRunner.run(["cache", "ls"], cache: cache)
        #expect(list.stdout.split(separator: "\n").count == 4)
    }

    static func artifact(_ name: String, in cache: URL) throws -> URL? {
        let directory = cache.appendingPathComponent("packages/x86_64/\(name)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).first.map { directory.appendingPathComponent($0) }
    }

    static func damage(_ file: URL, _ damage: Damage, scratch: ScratchTree) async throws {
        var bytes = try Data(contentsOf: file)
        switch damage {
        case .flipped, .flippedWithMtimeRestored:
            let reference = scratch.directory.appendingPathComponent("mtime-reference")
            let copy = try await CLIRunner.runTool("/bin/cp", ["-p", file.path, reference.path])
            #expect(copy.status == 0)
            for offset in bytes.count / 2 ..< bytes.count / 2 + 8 { bytes[offset] ^= 0xFF }
            let handle = try FileHandle(forWritingTo: file)  // in place: same inode, same size
            try handle.write(contentsOf: bytes)
            try handle.close()
            if damage == .flippedWithMtimeRestored {
                let touch = try await CLIRunner.runTool("/usr/bin/touch", ["-r", reference.path, file.path])
                #expect(touch.status == 0)
                let times = try await CLIRunner.runTool("/usr/bin/stat", ["-c", "%y", reference.path, file.path])
                let lines = times.stdout.split(separator: "\n")
                #expect(lines.count == 2 && lines[0] == lines[1], "the mtime was not put back: \(times.stdout)")
            }
        case .truncated:
            try bytes.prefix(bytes.count / 2).write(to: file)
        }
    }
}
