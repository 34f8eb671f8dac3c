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
        buildInfoFull(plan, index: index, inputs: plan.fullInputs(of: index))
    }

    /// `inputs`: `plan.fullInputs(of: index)`, which a build works out once for this file and
    /// for the cache's row (deep in a large tree it lists a thousand ids).
    static func buildInfoFull(_ plan: BuildPlan, index: Int, inputs: JSONValue) -> JSONValue {
        let package = plan.packages[index]
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

    /// Writes both files into a finished build's output directory (`inputs`: as `buildInfoFull`),
    /// mode 0644 whatever pkgtree's umask: they are part of the artifact, which must not differ
    /// (or be group-writable once installed) because of who built it.
    static func write(into output: URL, plan: BuildPlan, index: Int, inputs: JSONValue) throws {
        try write(CanonicalJSON.string(pkgInfo(plan.packages[index])), to: output.child(PackageMetadataFile.pkgInfo))
        try write(CanonicalJSON.string(buildInfoFull(plan, index: index, inputs: inputs)), to: output.child(PackageMetadataFile.buildInfoFull))
    }

    private static func write(_ json: String, to file: URL) throws {
        try Data((json + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    }
}
