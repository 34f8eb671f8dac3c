import Foundation

/// How a build script runs (DESIGN §5). In the tree's default builder, as pkgpanda's
/// dcos-builder runs it: `bash -o nounset -o pipefail -o errexit <script>`. In an image a
/// package names itself (its `docker` field or its `docker/` directory), as
/// `docker run IMAGE /pkg/build/<script>` would: the image's entrypoint with the script as its
/// argument, else the interpreter of the script's `#!` line, else the bash line above.
enum ScriptLaunch {
    static let pkgpandaShell = ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit"]

    enum Builder: Equatable {
        /// The tree's default builder.
        case treeDefault
        /// An image the package names, with its entrypoint (empty when it has none).
        case packageImage(entrypoint: [String])
    }

    /// The command for `script` (as the container sees it) whose first line is `firstLine`.
    /// With `replacingEntrypoint`, the container's command takes the entrypoint's place
    /// (`pkgtree shell` runs the script from a shell of its own), so it names the entrypoint
    /// itself.
    static func command(_ script: String, firstLine: String, builder: Builder, replacingEntrypoint: Bool = false) -> [String] {
        switch builder {
        case .treeDefault:
            pkgpandaShell + [script]
        case .packageImage(let entrypoint) where !entrypoint.isEmpty:
            (replacingEntrypoint ? entrypoint : []) + [script]
        case .packageImage:
            // Named, not exec'd through the kernel: a script without its x bit still runs.
            (interpreter(firstLine) ?? pkgpandaShell) + [script]
        }
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
