import Foundation

/// The two files every package carries: `pkginfo.json` (what the installed package needs:
/// requires, environment, state directory, user, group, sysctl — as pkgpanda writes it) and
/// `buildinfo.full.json` (everything that went into its id).
public enum PackageMetadata {
    public static func pkgInfo(_ package: PlannedPackage) -> JSONValue {
        let info = package.buildInfo
        var fields: [String: JSONValue] = [
            "requires": .array(info.requires.map(\.json)),
            "environment": .object(info.environment.mapValues(JSONValue.string)),
            "state_directory": .bool(info.stateDirectory),
        ]
        if let username = info.username { fields["username"] = .string(username) }
        if let group = info.group { fields["group"] = .string(group) }
        if !info.sysctl.isEmpty { fields["sysctl"] = .object(info.sysctl.mapValues(JSONValue.object)) }
        return .object(fields)
    }

    /// Writes both files into a finished build's output directory.
    public static func write(into output: URL, plan: BuildPlan, index: Int) throws {
        var full = plan.fullInputs(of: index)
        if case .object(var fields) = full {
            fields["package_id"] = .string(plan.packages[index].id)
            full = .object(fields)
        }
        try Data((CanonicalJSON.string(pkgInfo(plan.packages[index])) + "\n").utf8).write(to: output.child("pkginfo.json"))
        try Data((CanonicalJSON.string(full) + "\n").utf8).write(to: output.child("buildinfo.full.json"))
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
