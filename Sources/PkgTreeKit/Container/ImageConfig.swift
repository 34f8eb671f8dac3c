import Foundation

/// What an image's config says about running it: its environment (`ENV`), entrypoint and
/// working directory (`WORKDIR`). An engine applies them itself; bwrap, which runs a bare root
/// filesystem, is told them (from the recipe, or from the config of the image it was exported
/// from), and every build's environment starts from the image's (`BuildEnvironment`).
public struct ImageConfig: Sendable, Hashable {
    public var environment: [String: String]
    public var entrypoint: [String]
    /// nil: `/`, as in pkgpanda's containers.
    public var workingDirectory: String?

    public init(environment: [String: String] = [:], entrypoint: [String] = [], workingDirectory: String? = nil) {
        self.environment = environment
        self.entrypoint = entrypoint
        self.workingDirectory = workingDirectory
    }

    /// A recipe-made image: the recipe's environment over the default one; no entrypoint.
    public static func recipe(_ recipe: BuilderRecipe) -> ImageConfig {
        ImageConfig(environment: recipe.resolvedEnvironment)
    }

    /// The `Config` object of `image inspect` (docker and podman spell it alike): `Env` as
    /// `KEY=value` strings, `Entrypoint` a list or null, `WorkingDir` empty when unset.
    public static func parse(_ json: JSONValue) -> ImageConfig {
        let fields = json.objectValue ?? [:]
        var environment: [String: String] = [:]
        if case .array(let entries)? = fields["Env"] {
            for entry in entries.compactMap(\.stringValue) {
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
        }
        var entrypoint: [String] = []
        if case .array(let words)? = fields["Entrypoint"] { entrypoint = words.compactMap(\.stringValue) }
        let directory = fields["WorkingDir"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return ImageConfig(environment: environment, entrypoint: entrypoint, workingDirectory: directory)
    }

    /// As an image's `Config` object (what `parse` reads back).
    public var json: JSONValue {
        .object(["Env": .array(environmentLines.map(JSONValue.string)),
                 "Entrypoint": entrypoint.isEmpty ? .null : .array(entrypoint.map(JSONValue.string)),
                 "WorkingDir": .string(workingDirectory ?? "")])
    }

    /// `Env` lines as an image config holds them, sorted.
    public var environmentLines: [String] {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
