import Foundation

/// The two files every package carries, with pkgpanda's keys so that pkgpanda's tools read
/// them: `pkginfo.json` (what the installed package needs: requires, environment, state
/// directory, user, group, sysctl) and `buildinfo.full.json` (what it was built from).
public enum PackageMetadata {
    public static func pkgInfo(_ package: PlannedPackage) -> JSONValue {
        let info = package.buildInfo
        var fields: [String: JSONValue] = [
            // As pkgpanda's `expand_require` reads them: a name, or name and variant.
            "requires": .array(info.requires.map { $0.variant == nil ? .string($0.name) : $0.json }),
            "environment": .object(info.environment.mapValues(JSONValue.string)),
            "state_directory": .bool(info.stateDirectory),
        ]
        if let username = info.username { fields["username"] = .string(username) }
        if let group = info.group { fields["group"] = .string(group) }
        if !info.sysctl.isEmpty { fields["sysctl"] = .object(info.sysctl.mapValues(JSONValue.object)) }
        return .object(fields)
    }

    /// pkgpanda's `final_buildinfo` — `name`, `variant`, `package_version`, `build_ids` (what
    /// the id was computed from), `sources` (each as written, with its checkout id merged in)
    /// and `extra_source` when there is an `extra/` — plus pkgtree's keys: everything the id
    /// covers at the top level, as before (`arch`, `install_root`, `builder`, `requires`, …),
    /// and `package_id`.
    public static func buildInfoFull(_ plan: BuildPlan, index: Int) -> JSONValue {
        let package = plan.packages[index]
        let inputs = plan.fullInputs(of: index)
        var fields = inputs.objectValue ?? [:]
        fields["package_id"] = .string(package.id)
        fields["package_version"] = .string(String(package.id.dropFirst(package.name.count + 2)))
        fields["build_ids"] = inputs
        let ids = inputs.objectValue?["sources"]?.objectValue ?? [:]
        fields["sources"] = .object(package.buildInfo.sources.reduce(into: [:]) { merged, source in
            merged[source.key] = withCheckoutID(source.value, ids[source.key])
        })
        if let extra = fields["extra"], extra != .null { fields["extra_source"] = extra }
        return .object(fields)
    }

    /// A source as written, with what pins it merged in as pkgpanda's fetchers report it
    /// (`downloaded_sha1` for a URL, `commit` for git; `digest` for git_local, whose content
    /// pkgtree hashes).
    private static func withCheckoutID(_ source: Source, _ id: JSONValue?) -> JSONValue {
        var fields = source.json.objectValue ?? [:]
        for (key, value) in id?.objectValue ?? [:] where fields[key] == nil { fields[key] = value }
        if case .url(_, let checksum, _) = source { fields["downloaded_\(checksum.algorithm)"] = .string(checksum.hex) }
        return .object(fields)
    }

    /// Writes both files into a finished build's output directory.
    public static func write(into output: URL, plan: BuildPlan, index: Int) throws {
        try Data((CanonicalJSON.string(pkgInfo(plan.packages[index])) + "\n").utf8).write(to: output.child("pkginfo.json"))
        try Data((CanonicalJSON.string(buildInfoFull(plan, index: index)) + "\n").utf8).write(to: output.child("buildinfo.full.json"))
    }

    /// The environment a package exports, read back from its unpacked `pkginfo.json`.
    static func environment(ofUnpacked content: URL) -> [String: String] {
        environment(in: try? JSONFile.read(content.child("pkginfo.json"), displayPath: content.path))
    }

    /// The `environment` of a parsed `pkginfo.json` (empty when there is none: pkgtree wrote
    /// the file, and one it cannot read must not stop activation).
    static func environment(in pkgInfo: JSONValue?) -> [String: String] {
        guard case .object(let environment)? = pkgInfo?.objectValue?["environment"] else { return [:] }
        return environment.compactMapValues(\.stringValue)
    }
}
