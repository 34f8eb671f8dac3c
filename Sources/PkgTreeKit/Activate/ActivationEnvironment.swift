import Foundation

/// The `environment` and `environment.export` files of an install root, as pkgpanda's
/// activation writes them: a header that puts the root's `bin` and `lib` on the paths, then
/// one `# package: <id>` block per active package with the variables its `pkginfo.json`
/// declares. `environment` is for systemd's `EnvironmentFile=` (values unquoted, as pkgpanda
/// writes them); `environment.export` is for shells (`export`, quoted where needed).
///
/// Packages come in id order and keys sorted, so the files are the same on every run
/// (pkgpanda's order depends on set iteration).
public struct ActivationEnvironment: Sendable {
    public var installRoot: String
    /// One per active package, in id order.
    var blocks: [Block]

    /// One package's part of both files, rendered once: deep in a large tree a build activates
    /// a thousand packages, and quoting every value again for every build added up. A class:
    /// shared, not copied, by every build that activates the package.
    final class Block: Sendable {
        let id: String
        let variables: [String: String]
        /// The variables' names, sorted.
        let keys: [String]
        /// `# package: <id>`, its lines, and an empty line, in `environment` and in `environment.export`.
        let environment: String
        let export: String

        init(id: String, variables: [String: String]) {
            self.id = id
            self.variables = variables
            let keys = variables.keys.sorted()
            self.keys = keys
            let render = { (line: (String, String) -> String) in
                "# package: \(id)\n" + keys.map { line($0, variables[$0]!) + "\n" }.joined() + "\n"
            }
            environment = render { "\($0)=\($1)" }
            export = render { "export \($0)=\(ToolCommand.quote($1))" }
        }
    }

    /// Variables the header sets; a package setting them would break every other one.
    static let reserved: Set<String> = ["PATH", "LD_LIBRARY_PATH"]

    /// The `environment` of a parsed `pkginfo.json` (empty when there is none: pkgtree wrote
    /// the file, and one it cannot read must not stop activation).
    static func variables(in pkgInfo: JSONValue?) -> [String: String] {
        guard case .object(let environment)? = pkgInfo?.objectValue?["environment"] else { return [:] }
        return environment.compactMapValues(\.stringValue)
    }

    /// Checks pkgpanda's activation rules: no package sets `PATH` or `LD_LIBRARY_PATH`, and
    /// no two packages set the same variable.
    public init(installRoot: String, packages: [(id: String, variables: [String: String])]) throws(Problems) {
        try self.init(installRoot: installRoot, blocks: packages.map { Block(id: $0.id, variables: $0.variables) })
    }

    init(installRoot: String, blocks: [Block]) throws(Problems) {
        self.installRoot = installRoot
        self.blocks = blocks.sorted { $0.id < $1.id }
        var problems = ProblemCollector()
        var setBy: [String: String] = [:]
        for block in self.blocks {
            for key in block.keys {
                if Self.reserved.contains(key) {
                    problems.add(Problem(package: block.id, field: "environment.\(key)", "is set by activation for every package",
                                         hint: "drop it; activation puts the install root's bin and lib on PATH and LD_LIBRARY_PATH"))
                } else if let first = setBy[key] {
                    problems.add(Problem(package: block.id, field: "environment.\(key)", "is also set by \(first); activation cannot export both",
                                         hint: "set it in one package only"))
                } else {
                    setBy[key] = block.id
                }
            }
        }
        try problems.throwIfAny()
    }

    /// `environment`: `KEY=value` lines.
    public var environmentFile: String {
        render(header: ["LD_LIBRARY_PATH=\(installRoot)/lib", "PATH=\(installRoot)/bin:/usr/bin:/bin:/sbin"], \.environment)
    }

    /// `environment.export`: `export KEY=value` lines.
    public var exportFile: String {
        render(header: ["export LD_LIBRARY_PATH=\(installRoot)/lib", "export PATH=\"\(installRoot)/bin:$PATH\""], \.export)
    }

    private func render(header: [String], _ part: KeyPath<Block, String>) -> String {
        var file = (["# Pkgpanda provided environment variables"] + header + [""]).map { $0 + "\n" }.joined()
        file.reserveCapacity(blocks.reduce(file.utf8.count) { $0 + $1[keyPath: part].utf8.count })
        for block in blocks { file += block[keyPath: part] }
        return file
    }
}
