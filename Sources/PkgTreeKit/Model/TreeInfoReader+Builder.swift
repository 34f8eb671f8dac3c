import Foundation

/// `default_builder`: an image reference, or an object with a recipe (`suite`, `packages`,
/// `environment`, `setup`) and/or a `docker_directory` built on the recipe's image.
extension TreeInfoReader {
    static let builderFields = ["suite", "packages", "environment", "setup", "docker_directory"]

    mutating func builder(_ value: JSONValue) -> BuilderSpec? {
        switch value {
        case .string(let reference) where !reference.isEmpty:
            do {
                _ = try ImageReference(parsing: reference)
            } catch {
                problem("default_builder", "'\(reference)' is not an image reference: it \(error.reason)", hint: ImageReference.form)
                return nil
            }
            return .reference(reference)
        case .object(let fields):
            for key in fields.keys.sorted() where !Self.builderFields.contains(key) {
                problem("default_builder.\(key)", "is not a builder field",
                        hint: Suggestion.hint(for: key, among: Self.builderFields) ?? "a builder has \(Self.builderFields.joined(separator: ", "))")
            }
            guard let directory = fields["docker_directory"] else {
                return recipe(fields).map(BuilderSpec.recipe)
            }
            guard case .string(let path) = directory else {
                problem("default_builder.docker_directory", "expected a directory of the tree such as \"docker/dcos-builder\", found \(directory.typeName)")
                return nil
            }
            // Without a suite the Dockerfile is built on the built-in recipe.
            let recipeFields = fields.filter { $0.key != "docker_directory" }
            var base: BuilderRecipe?
            if !recipeFields.isEmpty {
                guard let recipe = recipe(recipeFields) else { return nil }
                base = recipe
            }
            switch BuilderDockerfile.load(path, root: root, base: base, file: file) {
            case .success(let dockerfile): return .dockerfile(dockerfile)
            case .failure(let failure):
                problem(failure)
                return nil
            }
        default:
            problem("default_builder", "expected an image reference or {\"suite\": …, \"packages\": […]}, found \(value.typeName)")
            return nil
        }
    }

    private mutating func recipe(_ fields: [String: JSONValue]) -> BuilderRecipe? {
        guard case .string(let suite)? = fields["suite"], !suite.isEmpty else {
            problem("default_builder.suite", "must name a Debian suite, such as \"bookworm\"")
            return nil
        }
        let packages = strings(fields["packages"], "default_builder.packages", "a list of Debian package names")
        let setup = strings(fields["setup"], "default_builder.setup", "a list of shell commands")
        for (index, command) in (setup ?? []).enumerated() where command.allSatisfy(\.isWhitespace) {
            problem("default_builder.setup[\(index)]", "is empty", hint: "remove it, or write the command")
        }
        let environment = environment(fields["environment"])
        guard let packages, let setup, let environment else { return nil }
        return BuilderRecipe(suite: suite, packages: packages.sorted(), environment: environment, setup: setup)
    }

    private mutating func strings(_ value: JSONValue?, _ field: String, _ what: String) -> [String]? {
        guard let value else { return [] }
        guard case .array(let items) = value, items.allSatisfy({ $0.stringValue != nil }) else {
            problem(field, "expected \(what), found \(value.typeName)")
            return nil
        }
        return items.compactMap(\.stringValue)
    }

    /// An object of variable names to strings; no name pkgtree sets for every build, no
    /// variables that refer to each other in a circle.
    private mutating func environment(_ value: JSONValue?) -> [String: String]? {
        guard let value else { return [:] }
        guard case .object(let entries) = value else {
            problem("default_builder.environment", "expected an object of variable names to strings, such as {\"GOPATH\": \"/pkg\"}, found \(value.typeName)")
            return nil
        }
        var result: [String: String] = [:]
        for (name, item) in entries.sorted(by: { $0.key < $1.key }) {
            let field = "default_builder.environment.\(name)"
            guard EnvironmentResolution.isName(Substring(name)) else {
                problem(field, "is not a variable name (letters, digits and _, not starting with a digit)")
                continue
            }
            if PerBuildVariables.contains(name) {
                problem(field, "is set by pkgtree for every build", hint: "use another name; the build reads \(name) from pkgtree")
                continue
            }
            guard case .string(let text) = item else {
                problem(field, "expected a string, found \(item.typeName)")
                continue
            }
            result[name] = text
        }
        guard result.count == entries.count else { return nil }
        var resolution = EnvironmentResolution(result, base: BuilderRecipe.defaultEnvironment)
        _ = resolution.all()
        if let cycle = resolution.cycles.first {
            problem("default_builder.environment.\(cycle[0])", "refers to itself through \(cycle.dropFirst().dropLast().joined(separator: ", "))",
                    hint: "a value may use other variables and its own default ($PATH in PATH), but not in a circle")
            return nil
        }
        return result
    }
}
