import Foundation
import Testing
import RegistryTestSupport

/// A cache on a filesystem too small for the artifact being stored: a clear "no space" error
/// naming the cache, nothing half-stored, and the next run succeeds once there is room.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)),
       .enabled(if: Tmpfs.canMount, Comment(rawValue: Tmpfs.needsRoot)))
struct FullDiskTests {
    @Test func anArtifactThatDoesNotFitFailsClearlyStoresNothingAndFitsOnceThereIsRoom() async throws {
        // 4 MiB of random bytes: the build's output fits on 6 MiB, but not its tar.xz beside it
        // (xz cannot shrink random bytes).
        let scratch = try ScratchTree([
            "noise/buildinfo.json": "{}",
            "noise/build": "mkdir -p \"$PKG_PATH/share\"\nhead -c 4M /dev/urandom > \"$PKG_PATH/share/noise\"\n",
        ])
        let disk = scratch.directory.appendingPathComponent("disk")
        try Tmpfs.mount(at: disk, size: "6m")
        defer { Tmpfs.unmount(disk) }
        let cache = try BuilderImages.cache(in: disk)
        let arguments = ["build", "--arch", "x86_64", "--runner", "bwrap", "--no-bootstrap", "--packages", scratch.packages.path, "--cache", cache.path]

        let full = try await CLIRunner.run(arguments, cache: cache)
        #expect(full.status != 0)
        #expect(full.stderr.contains("\(cache.path): no space left on the device; nothing was stored"), "\(full.stdout)\(full.stderr)")
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && verify.stdout.contains("verified 0 artifact(s): all good"), "\(verify.stdout)")
        #expect(!verify.stderr.contains("repair:"), "the failed run left something behind: \(verify.stderr)")
        let stored = try FileManager.default.subpathsOfDirectory(atPath: cache.appendingPathComponent("packages").path)
        #expect(stored.filter { $0.hasSuffix(".tar.xz") }.isEmpty, "\(stored)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path) == [])

        try Tmpfs.resize(disk, size: "32m")
        let roomy = try await CLIRunner.run(arguments, cache: cache)
        #expect(roomy.status == 0, "\(roomy.stderr)")
        let again = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(again.status == 0 && again.stdout.contains("verified 1 artifact(s): all good"), "\(again.stdout)")
    }
}
