import Foundation

/// A Dockerfile directory of the tree that `default_builder.docker_directory` names, as pkgpanda
/// keeps `docker/dcos-builder/`: built for each platform on the image of a recipe, which its
/// `FROM ${PKGTREE_BUILDER}` names. Its content digest and the base recipe are its identity.
public struct BuilderDockerfile: Sendable, Hashable {
    /// As the treeinfo names it, relative to the tree (`docker/dcos-builder`).
    public var path: String
    public var directory: URL
    /// The digest of the directory (relative paths, modes, contents), as of a package's `docker/`.
    public var digest: String
    /// The recipe of the base image; nil: the built-in recipe of each architecture.
    public var base: BuilderRecipe?

    /// The recipe the image for `arch` is built on.
    public func baseRecipe(for arch: Architecture) -> BuilderRecipe {
        base ?? .builtInDefault(for: arch)
    }

    /// The build argument the Dockerfile's `FROM` takes the base image from.
    public static let baseArgument = "PKGTREE_BUILDER"

    /// Reads and checks the directory `path` of the tree at `root` for the treeinfo `file`.
    static func load(_ path: String, root: URL, base: BuilderRecipe?, file: String) -> Result<BuilderDockerfile, Problem> {
        let field = "default_builder.docker_directory"
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            return .failure(Problem(file: file, field: field, "must be a directory of the tree, relative to it, found \"\(path)\"",
                                    hint: "copy pkgpanda's docker/dcos-builder/ into the tree and write \"docker/dcos-builder\""))
        }
        let directory = root.child(parts.joined(separator: "/"))
        let display = DisplayPath.of(directory)
        guard FileStatus.isDirectory(directory.path) else {
            return .failure(Problem(file: file, field: field, "\(display) is not a directory",
                                    hint: "create it with the Dockerfile of the builder image, or correct the path"))
        }
        do {
            try LocalInput.requireWithin(directory, root: root)
        } catch {
            return .failure(Problem(file: file, field: field, "\(display) \(error.reason)", hint: error.hint))
        }
        let dockerfile = directory.child("Dockerfile")
        guard FileStatus.of(dockerfile.path, followingSymlinks: true)?.kind == .regular,
              let text = try? String(contentsOf: dockerfile, encoding: .utf8) else {
            return .failure(Problem(file: file, field: field, "\(display) has no readable Dockerfile",
                                    hint: "put the builder image's Dockerfile there (pkgpanda's docker/dcos-builder/Dockerfile)"))
        }
        if var problem = DockerfileBase.problem(in: text) {
            problem.file = DisplayPath.of(dockerfile)
            return .failure(problem)
        }
        do {
            guard let digest = try ContentDigest.directory(directory) else {
                return .failure(Problem(file: file, field: field, "\(display) holds no file"))
            }
            return .success(BuilderDockerfile(path: path, directory: directory, digest: digest, base: base))
        } catch {
            return .failure(Problem(file: file, field: field, "\(DisplayPath.of(URL(fileURLWithPath: error.path))) \(error.reason)",
                                    hint: error.hint))
        }
    }
}

/// The `FROM` lines of a builder Dockerfile: every stage starts from the recipe-made base
/// (`ARG PKGTREE_BUILDER` before the first, then `FROM ${PKGTREE_BUILDER}`) or from an earlier
/// stage. Another image would come from a registry, which pkgtree never asks, and bwrap
/// could not run; and its tag would change under the same id.
enum DockerfileBase {
    static func problem(in text: String) -> Problem? {
        var declared = false
        var stages: Set<String> = []
        var sawFrom = false
        for instruction in DockerfileInstruction.parse(text) {
            switch instruction.keyword {
            case "ARG" where !sawFrom:
                let name = instruction.arguments.first?.split(separator: "=", maxSplits: 1).first
                if name == Substring(BuilderDockerfile.baseArgument) { declared = true }
            case "FROM":
                sawFrom = true
                let words = instruction.arguments.drop { $0.hasPrefix("--") }
                guard let image = words.first else {
                    return Problem(field: "FROM (line \(instruction.line))", "names no image")
                }
                if ["${\(BuilderDockerfile.baseArgument)}", "$\(BuilderDockerfile.baseArgument)"].contains(String(image)) {
                    guard declared else {
                        return Problem(field: "FROM (line \(instruction.line))", "uses ${\(BuilderDockerfile.baseArgument)}, which no ARG declares before it",
                                       hint: "add `ARG \(BuilderDockerfile.baseArgument)` before the first FROM")
                    }
                } else if !stages.contains(image.lowercased()) {
                    return Problem(field: "FROM (line \(instruction.line))", "starts from '\(image)'; a builder image starts from the recipe-made base",
                                   hint: "write `ARG \(BuilderDockerfile.baseArgument)` and `FROM ${\(BuilderDockerfile.baseArgument)}`, and put what '\(image)' brought into the recipe's packages or the Dockerfile's RUN lines")
                }
                let rest = Array(words.dropFirst())
                if rest.count == 2, rest[0].uppercased() == "AS" { stages.insert(rest[1].lowercased()) }
            default:
                continue
            }
        }
        return sawFrom ? nil : Problem(field: "FROM", "the Dockerfile has no FROM line",
                                       hint: "start it with `ARG \(BuilderDockerfile.baseArgument)` and `FROM ${\(BuilderDockerfile.baseArgument)}`")
    }
}

/// One instruction of a Dockerfile: its keyword (upper case), its words, and the line it starts
/// on. Lines ending in `\` continue; comment and blank lines are skipped.
struct DockerfileInstruction {
    var line: Int
    var keyword: String
    var arguments: [Substring]

    static func parse(_ text: String) -> [DockerfileInstruction] {
        var instructions: [DockerfileInstruction] = []
        var pending = "", start = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
            if pending.isEmpty { start = index + 1 }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            pending += line
            let words = pending.split(whereSeparator: \.isWhitespace)
            if let keyword = words.first {
                instructions.append(DockerfileInstruction(line: start, keyword: keyword.uppercased(), arguments: Array(words.dropFirst())))
            }
            pending = ""
        }
        return instructions
    }
}
