import Foundation

/// How a build script runs (docs/build.md), as `docker run IMAGE /pkg/build/<script>` runs it:
/// through the image's entrypoint when it has one (pkgpanda's dcos-builder has
/// `bash -o nounset -o pipefail -o errexit`, and a tree's Dockerfile builder ported from it
/// keeps it). Without one, the tree's default builder runs it with that bash line, as
/// dcos-builder would; an image a package names itself (its `docker` field or its `docker/`
/// directory), with the interpreter of the script's `#!` line, else the bash line.
enum ScriptLaunch {
    static let pkgpandaShell = ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit"]

    struct Builder: Equatable {
        /// Whether the image is the tree's default builder, rather than one the package names.
        var isTreeDefault: Bool
        /// The image's entrypoint, empty when it has none.
        var entrypoint: [String]

        /// A recipe-made default builder: no entrypoint.
        static let treeDefault = Builder(isTreeDefault: true, entrypoint: [])

        static func packageImage(entrypoint: [String]) -> Builder {
            Builder(isTreeDefault: false, entrypoint: entrypoint)
        }
    }

    /// The command for `script` (as the container sees it) whose first line is `firstLine`;
    /// the runner puts the image's entrypoint before it. With `replacingEntrypoint`, the
    /// container's command takes the entrypoint's place (`pkgtree shell` runs the script from a
    /// shell of its own), so it names the entrypoint itself.
    static func command(_ script: String, firstLine: String, builder: Builder, replacingEntrypoint: Bool = false) -> [String] {
        if !builder.entrypoint.isEmpty { return (replacingEntrypoint ? builder.entrypoint : []) + [script] }
        if builder.isTreeDefault { return pkgpandaShell + [script] }
        // Named, not exec'd through the kernel: a script without its x bit still runs.
        return (interpreter(firstLine) ?? pkgpandaShell) + [script]
    }

    /// The interpreter and its optional argument of a `#!` line, split as Linux splits it
    /// (everything after the interpreter is one argument).
    static func interpreter(_ firstLine: String) -> [String]? {
        guard firstLine.hasPrefix("#!") else { return nil }
        let rest = firstLine.dropFirst(2).trimmingCharacters(in: .whitespaces)
        guard !rest.isEmpty else { return nil }
        guard let space = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return [rest] }
        let argument = rest[space...].trimmingCharacters(in: .whitespaces)
        return [String(rest[..<space])] + (argument.isEmpty ? [] : [argument])
    }

    /// The first line of the script file on the host (at most 256 bytes, as a kernel reads).
    static func firstLine(of file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        return String(decoding: head.prefix { $0 != 0x0A }, as: UTF8.self)
    }
}
