import Foundation

/// The seed of a test that draws random moments or inputs: `PKGTREE_TEST_SEED` when set, to
/// repeat a run, else a fresh random 48-bit one. Printed with the command that repeats the run,
/// so a failure seen once can be run again with the same draws.
public enum TestSeed {
    public static let variable = "PKGTREE_TEST_SEED"

    /// The seed for `test` (a `--filter` pattern naming it, e.g. `KillDuringBuildTests`).
    public static func draw(for test: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment[variable].flatMap(UInt64.init) ?? UInt64.random(in: 0..<(1 << 48))
        print("\(test): seed \(seed); repeat with \(variable)=\(seed) swift test --skip-build --disable-xctest --filter \(test)")
        return seed
    }
}
