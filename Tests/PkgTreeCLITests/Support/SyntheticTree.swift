import Foundation
import Glibc
import RegistryTestSupport

/// A small tree for fault tests, quick to build and pack: `count` packages `p00`, `p01`, …,
/// where each from the fourth on requires the two that are three and two before it, so the
/// graph has four layers and several packages are ready at once.
enum SyntheticTree {
    /// Writes its name, a list of the dependencies it sees, and ~100 KiB of text.
    static let script = """
        mkdir -p "$PKG_PATH/share" "$PKG_PATH/bin"
        echo "$PKG_NAME" > "$PKG_PATH/share/name"
        ls /opt/mesosphere/packages > "$PKG_PATH/share/installed"
        seq 1 20000 > "$PKG_PATH/share/numbers"
        printf '#!/bin/sh\\necho %s\\n' "$PKG_NAME" > "$PKG_PATH/bin/$PKG_NAME" && chmod +x "$PKG_PATH/bin/$PKG_NAME"

        """

    /// `prelude` gives, by index, a shell line each script runs first (a sleep, a wait).
    static func make(count: Int = 10, prelude: (Int) -> String = { _ in "" }) throws -> ScratchTree {
        var files: [String: String] = [:]
        for (index, name) in names(count: count).enumerated() {
            var buildInfo: [String: Any] = [:]
            if index >= 3 { buildInfo["requires"] = [names(count: count)[index - 3], names(count: count)[index - 2]] }
            files["\(name)/buildinfo.json"] = String(decoding: try JSONSerialization.data(withJSONObject: buildInfo, options: .sortedKeys), as: UTF8.self)
            files["\(name)/build"] = prelude(index) + "\n" + script
        }
        return try ScratchTree(files)
    }

    static func names(count: Int = 10) -> [String] {
        (0..<count).map { String(format: "p%02d", $0) }
    }

    /// A whole-tree build with `runner`, `jobs` at once, JSON progress.
    static func buildArguments(_ scratch: ScratchTree, cache: URL, runner: String, jobs: Int = 2) -> [String] {
        ["build", "--arch", "x86_64", "--runner", runner, "-j", String(jobs), "--progress", "json",
         "--packages", scratch.packages.path, "--cache", cache.path]
    }
}

/// Fractions in [0, 1) that a seed repeats, so a failing fault round can be run again with
/// the same moments: libc's `erand48`, whose 48-bit state is this value's alone.
struct SeededFractions {
    private var state: [UInt16]

    init(seed: UInt64) {
        state = [0, 16, 32].map { UInt16(truncatingIfNeeded: seed >> $0) }
    }

    mutating func next() -> Double {
        erand48(&state)
    }

    /// Fractions from the seed `TestSeed` draws for `test`, which it prints with how to repeat them.
    init(for test: String) {
        self.init(seed: TestSeed.draw(for: test))
    }
}
