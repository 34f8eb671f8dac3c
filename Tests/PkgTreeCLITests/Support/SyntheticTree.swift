import Foundation

/// A small tree for fault tests, quick to build and pack: `count` packages `p00`, `p01`, …,
/// where each from the fourth on requires the two that are three and two before it, so the
/// graph has four layers and several packages are ready at once.
enum SyntheticTree {
    /// Writes its name, a list of the dependencies it sees, and ~100 KiB of text.
    static let script = """
        mkdir -p "$PKG_PATH/share" "$PKG_PATH/bin"
        echo "$PKG_NAME" > "$PKG_PATH/share/name"
        ls /opt/pkgtree/packages > "$PKG_PATH/share/installed"
        seq 1 20000 > "$PKG_PATH/share/numbers"
        printf '#!/bin/sh\\necho %s\\n' "$PKG_NAME" > "$PKG_PATH/bin/$PKG_NAME" && chmod +x "$PKG_PATH/bin/$PKG_NAME"

        """

    /// `sleep` gives the seconds each package's script sleeps first, by index.
    static func make(count: Int = 10, sleep: (Int) -> Double = { _ in 0 }) throws -> ScratchTree {
        var files: [String: String] = [:]
        for index in 0..<count {
            let name = String(format: "p%02d", index)
            let requires = index >= 3 ? #"{"requires": ["\#(String(format: "p%02d", index - 3))", "\#(String(format: "p%02d", index - 2))"]}"# : "{}"
            files["\(name)/buildinfo.json"] = requires
            files["\(name)/build"] = "sleep \(sleep(index))\n" + script
        }
        return try ScratchTree(files)
    }

    static func names(count: Int = 10) -> [String] {
        (0..<count).map { String(format: "p%02d", $0) }
    }

    /// A whole-tree build with bwrap, two jobs, JSON progress.
    static func buildArguments(_ scratch: ScratchTree, cache: URL) -> [String] {
        ["build", "--arch", "x86_64", "--runner", "bwrap", "-j", "2", "--progress", "json",
         "--packages", scratch.packages.path, "--cache", cache.path]
    }
}

/// SplitMix64: a random generator that a seed repeats, so a failing fault round can be run
/// again with the same delays.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// `PKGTREE_FAULT_SEED` when set (to repeat a run), else a fresh random seed.
    static func seedFromEnvironment() -> UInt64 {
        ProcessInfo.processInfo.environment["PKGTREE_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
    }
}
