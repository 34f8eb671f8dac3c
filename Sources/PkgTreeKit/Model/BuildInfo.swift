/// A package's buildinfo for one architecture, after its `arch` overlay was merged in.
/// Every pkgpanda field, plus pkgtree's architecture extensions.
public struct BuildInfo: Sendable, Hashable {
    public var requires: [Requirement] = []
    /// Sources by name; a `single_source` is stored under the package's own name, as pkgpanda does.
    public var sources: [String: Source] = [:]
    /// Whether the source came from `single_source`, for messages that name its field.
    public var hasSingleSource = false
    public var docker: String?
    public var buildScript: String?
    public var environment: [String: String] = [:]
    public var stateDirectory = false
    public var username: String?
    public var group: String?
    /// Files of the output (relative to `$PKG_PATH`) that may keep a setuid or setgid bit.
    public var setuidFiles: [String] = []
    /// Service name -> sysctl key -> value (pkgpanda writes numbers or strings here).
    public var sysctl: [String: [String: JSONValue]] = [:]
    public var versionExtra: String?
    /// The architectures the package supports; nil means all.
    public var architectures: [Architecture]?
    public var cross = false
    public var network = false
    /// Lint rules silenced for this buildinfo's findings; left out of the id on purpose.
    public var lint = LintSettings()

    public init() {}

    /// Every top-level field a buildinfo file may hold.
    static let fieldNames: [String] = [
        "requires", "single_source", "sources", "docker", "build_script", "environment",
        "state_directory", "username", "group", "sysctl", "version_extra", "setuid_files",
        "arch", "architectures", "cross", "network", LintSettings.fieldName,
    ]

    /// The field that holds the source named `name`: `single_source` or `sources.<name>`.
    public func field(ofSource name: String) -> String {
        hasSingleSource ? "single_source" : "sources.\(name)"
    }

    /// Whether the package builds for `arch`.
    public func supports(_ arch: Architecture) -> Bool {
        architectures?.contains(arch) ?? true
    }

    /// The normalized buildinfo that goes into the package id: defaults written out, so an
    /// empty file and one spelling out the defaults hash the same. `architectures` is left out
    /// on purpose: widening the list must not change the ids of builds that already exist;
    /// so is `pkgtree_lint`: silencing a lint finding must not rebuild anything.
    var identityJSON: JSONValue {
        var fields: [String: JSONValue] = [
            "requires": .array(requires.sorted().map(\.json)),
            "sources": .object(sources.mapValues(\.json)),
            "environment": .object(environment.mapValues(JSONValue.string)),
            "state_directory": .bool(stateDirectory),
            "sysctl": .object(sysctl.mapValues(JSONValue.object)),
            "cross": .bool(cross),
            "network": .bool(network),
        ]
        if let docker { fields["docker"] = .string(docker) }
        if let buildScript { fields["build_script"] = .string(buildScript) }
        if let username { fields["username"] = .string(username) }
        if let group { fields["group"] = .string(group) }
        if let versionExtra { fields["version_extra"] = .string(versionExtra) }
        // Only when set, so packages that declare nothing keep the ids they had.
        if !setuidFiles.isEmpty { fields["setuid_files"] = .array(setuidFiles.map(JSONValue.string)) }
        return .object(fields)
    }
}

extension Requirement {
    var json: JSONValue {
        .object(["name": .string(name), "variant": variant.map(JSONValue.string) ?? .null])
    }
}
