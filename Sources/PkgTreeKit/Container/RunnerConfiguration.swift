import Foundation

/// How to call each runner on this machine, and how to reach the registries builder images
/// come from (`BuilderRegistries`). Read from `pkgtree.json` (next to the package tree,
/// else in the working directory) and overridden by the environment:
/// `PKGTREE_RUNNER`, `PKGTREE_PODMAN_OPTIONS`, `PKGTREE_DOCKER_OPTIONS`, `PKGTREE_BWRAP_OPTIONS`
/// (space-separated global options). Some machines need podman with runc and cgroupfs and a
/// `CONTAINERS_CONF` without default ulimits; that is configuration, not code.
public struct RunnerConfiguration: Sendable, Hashable {
    public struct Tool: Sendable, Hashable {
        /// Options placed before the subcommand (`podman --runtime runc run …`).
        public var globalOptions: [String] = []
        /// Environment for the tool itself (`CONTAINERS_CONF`, …).
        public var environment: [String: String] = [:]
    }

    public var runner: RunnerKind?
    public var tools: [RunnerKind: Tool] = [:]
    /// TLS toward the registries builder images are pulled from.
    public var registries = BuilderRegistries()

    public init(runner: RunnerKind? = nil, tools: [RunnerKind: Tool] = [:], registries: BuilderRegistries = BuilderRegistries()) {
        self.runner = runner
        self.tools = tools
        self.registries = registries
    }

    public func tool(_ kind: RunnerKind) -> Tool {
        tools[kind] ?? Tool()
    }

    /// The configuration for a tree: the file (if any), then the environment on top.
    public static func load(packages: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunnerConfiguration {
        var configuration = RunnerConfiguration()
        if let file = ConfigurationSection.file(near: packages) {
            configuration = try read(file)
        }
        if let name = environment["PKGTREE_RUNNER"], !name.isEmpty {
            guard let kind = RunnerKind(rawValue: name) else {
                throw Problems([Problem(field: "PKGTREE_RUNNER", "'\(name)' is not a runner",
                                        hint: "use one of: \(RunnerKind.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            configuration.runner = kind
        }
        for kind in RunnerKind.allCases {
            if let options = environment["PKGTREE_\(kind.rawValue.uppercased())_OPTIONS"] {
                configuration.tools[kind, default: Tool()].globalOptions = options.split(separator: " ").map(String.init)
            }
        }
        return configuration
    }

    /// `{"runner": "podman", "podman": {"global_options": [...], "environment": {...}}, …}`
    static func read(_ file: URL) throws -> RunnerConfiguration {
        let display = DisplayPath.of(file)
        guard case .object(let fields) = try JSONFile.read(file, displayPath: display) else {
            throw Problems([Problem(file: display, "expected a JSON object",
                                    hint: #"pkgtree.json holds an object such as {"podman": {"global_options": ["--runtime", "runc"]}}"#)])
        }
        var configuration = RunnerConfiguration()
        var problems: [Problem] = []
        let others = [ConfigurationSection.remoteCacheKey, ConfigurationSection.releaseKey]
        let known = ["runner", BuilderRegistries.key] + others + RunnerKind.allCases.map(\.rawValue)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if others.contains(key) {
                continue  // the registry's and the releases' settings: RemoteCacheFile and ReleaseSettings read them
            } else if key == "runner" {
                if let name = value.stringValue, let kind = RunnerKind(rawValue: name) {
                    configuration.runner = kind
                } else {
                    problems.append(Problem(file: display, field: key, "expected one of \(RunnerKind.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
            } else if key == BuilderRegistries.key {
                switch BuilderRegistries.read(value, file: file, display: display) {
                case .success(let registries): configuration.registries = registries
                case .failure(let found): problems += found.all
                }
            } else if let kind = RunnerKind(rawValue: key) {
                switch tool(value, display, key) {
                case .success(let tool): configuration.tools[kind] = tool
                case .failure(let problem): problems.append(problem)
                }
            } else {
                problems.append(Problem(file: display, field: key, "is not a pkgtree.json field",
                                        hint: Suggestion.hint(for: key, among: known) ?? "known fields: \(known.joined(separator: ", "))"))
            }
        }
        if !problems.isEmpty { throw Problems(problems) }
        return configuration
    }

    private static func tool(_ value: JSONValue, _ file: String, _ key: String) -> Result<Tool, Problem> {
        guard case .object(let fields) = value else {
            return .failure(Problem(file: file, field: key, "expected an object with 'global_options' and 'environment'"))
        }
        var tool = Tool()
        for (field, item) in fields {
            switch (field, item) {
            case ("global_options", .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
                tool.globalOptions = items.compactMap(\.stringValue)
            case ("environment", .object(let entries)) where entries.values.allSatisfy({ $0.stringValue != nil }):
                tool.environment = entries.compactMapValues(\.stringValue)
            default:
                return .failure(Problem(file: file, field: "\(key).\(field)",
                                        "expected 'global_options' (a list of strings) or 'environment' (an object of strings)"))
            }
        }
        return .success(tool)
    }
}
