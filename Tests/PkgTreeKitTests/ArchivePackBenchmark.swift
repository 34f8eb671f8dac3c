import Foundation
import Testing
@testable import PkgTreeKit

/// Not a test: the pkgtree half of `bench/pack.sh`, which sets the variables below and runs it
/// in a release build. Skipped in ordinary test runs.
@Suite struct ArchivePackBenchmark {
    static let environment = ProcessInfo.processInfo.environment

    /// Packs `$PKGTREE_BENCH_PACK_DIR` to `$PKGTREE_BENCH_PACK_OUT` with
    /// `$PKGTREE_BENCH_PACK_THREADS` threads (default 2) and prints the wall-clock seconds.
    @Test(.enabled(if: environment["PKGTREE_BENCH_PACK_DIR"] != nil, "set by bench/pack.sh"))
    func packBenchmark() throws {
        let directory = URL(fileURLWithPath: try #require(Self.environment["PKGTREE_BENCH_PACK_DIR"]))
        let output = URL(fileURLWithPath: Self.environment["PKGTREE_BENCH_PACK_OUT"] ?? directory.path + ".tar.xz")
        let threads = Int(Self.environment["PKGTREE_BENCH_PACK_THREADS"] ?? "") ?? 2
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ArchivePacker.pack(directory: directory, to: output, options: PackOptions(threads: threads))
        let elapsed = (clock.now - start) / .milliseconds(1) / 1000
        print("pkgtree-pack seconds=\(String(format: "%.3f", elapsed)) entries=\(result.entryCount) tar-bytes=\(result.uncompressedBytes)")
    }
}
