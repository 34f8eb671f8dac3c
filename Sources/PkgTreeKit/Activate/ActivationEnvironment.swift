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
    /// (package id, its variables) for every active package.
    public var packages: [(id: String, variables: [String: String])]

    /// Variables the header sets; a package setting them would break every other one.
    static let reserved: Set<String> = ["PATH", "LD_LIBRARY_PATH"]

    /// Checks pkgpanda's activation rules: no package sets `PATH` or `LD_LIBRARY_PATH`, and
    /// no two packages set the same variable.
    public init(installRoot: String, packages: [(id: String, variables: [String: String])]) throws(Problems) {
        self.installRoot = installRoot
        self.packages = packages.sorted { $0.id < $1.id }
        var problems = ProblemCollector()
        var setBy: [String: String] = [:]
        for (id, variables) in self.packages {
            for key in variables.keys.sorted() {
                if Self.reserved.contains(key) {
                    problems.add(Problem(package: id, field: "environment.\(key)", "is set by activation for every package",
                                         hint: "drop it; activation puts the install root's bin and lib on PATH and LD_LIBRARY_PATH"))
                } else if let first = setBy[key] {
                    problems.add(Problem(package: id, field: "environment.\(key)", "is also set by \(first); activation cannot export both",
                                         hint: "set it in one package only"))
                } else {
                    setBy[key] = id
                }
            }
        }
        try problems.throwIfAny()
    }

    /// `environment`: `KEY=value` lines.
    public var environmentFile: String {
        render(header: ["LD_LIBRARY_PATH=\(installRoot)/lib", "PATH=\(installRoot)/bin:/usr/bin:/bin:/sbin"]) { "\($0)=\($1)" }
    }

    /// `environment.export`: `export KEY=value` lines.
    public var exportFile: String {
        render(header: ["export LD_LIBRARY_PATH=\(installRoot)/lib", "export PATH=\"\(installRoot)/bin:$PATH\""]) {
            "export \($0)=\(ToolCommand.quote($1))"
        }
    }

    private func render(header: [String], line: (String, String) -> String) -> String {
        var lines = ["# Pkgpanda provided environment variables"] + header + [""]
        for (id, variables) in packages {
            lines.append("# package: \(id)")
            lines += variables.sorted { $0.key < $1.key }.map { line($0.key, $0.value) }
            lines.append("")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
