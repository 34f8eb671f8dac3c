import Foundation

/// The build script of one variant: the target's script reads as the fork's, by sharing this
/// tree's script (`ScriptUnifier`) or by keeping the fork's as the target's own.
extension VariantPort {
    /// Chooses the script the target runs; returns the overlay's `build_script` when the
    /// default one is not it.
    func foldScript(_ forkInfo: BuildInfo, scripts: inout [String: String], into outcome: inout Outcome) throws(Problems) -> String? {
        let currentTarget = PackageInputs.buildScript(original, try Self.info(original, for: target))
        let baseScript = PackageInputs.buildScript(original, try Self.info(original, for: base))
        let forkScript = PackageInputs.buildScript(fork, forkInfo)
        let forkText = try script(forkScript, of: fork)
        let current = try script(currentTarget, of: original, rewritten: scripts)
        let chosen: String
        if let kept = keptPaths(baseScript).first(where: { scripts[$0] == forkText }) {
            chosen = kept  // another variant of this package keeps the same script for the target
        } else if ArchVariables.expand(current, for: target) == ArchVariables.expand(forkText, for: target) {
            chosen = currentTarget
        } else {
            chosen = try share(baseScript, fork: forkText, from: forkScript, scripts: &scripts, into: &outcome)
        }
        var defaultInfo = BuildInfo()
        defaultInfo.buildScript = original.base["build_script"]?.stringValue
        return chosen == PackageInputs.buildScript(original, defaultInfo) ? nil : chosen
    }

    /// Makes `baseScript` serve the target too, else keeps the fork's script for the target;
    /// returns the script the target runs.
    private func share(_ baseScript: String, fork forkText: String, from forkScript: String,
                       scripts: inout [String: String], into outcome: inout Outcome) throws(Problems) -> String {
        let scriptFile = DisplayPath.of(original.directory.child(baseScript))
        var result = ScriptUnifier(base: base, target: target).unify(original: try script(baseScript, of: original, rewritten: scripts),
                                                                      fork: forkText)
        if case .success(let unified) = result, let earlier = scripts[baseScript], earlier != unified.text {
            result = .failure(.init(line: 1, reason: "another variant shares \(baseScript) and the fork's scripts for the two differ"))
        }
        switch result {
        case .success(let unified):
            scripts[baseScript] = unified.text
            outcome.edits.append(.write(original.directory.child(baseScript), Data(unified.text.utf8), permissions: nil))
            outcome.unified = true
            outcome.changes += unified.substitutions.map { substitution in
                PortChange(file: scriptFile, line: substitution.line, column: substitution.column, package: original.name,
                           kind: .scriptUnified, message: "'\(substitution.original)' (\(base)) / '\(substitution.fork)' (\(target)) -> ${\(substitution.variable)}",
                           folded: true)
            }
            return baseScript
        case .failure(let refusal):
            let paths = keptPaths(baseScript)
            let kept = paths.first { scripts[$0] == nil } ?? paths[paths.count - 1]
            scripts[kept] = forkText
            let mode = FileStatus.of(fork.directory.child(forkScript).path, followingSymlinks: true)?.permissions
            outcome.edits.append(.write(original.directory.child(kept), Data(forkText.utf8), permissions: mode ?? 0o755))
            outcome.perArchitecture = true
            outcome.changes.append(PortChange(
                file: scriptFile, line: refusal.line, column: 1, package: original.name, kind: .scriptPerArchitecture,
                message: "\(refusal.reason); \(target) builds the fork's script, kept as \(kept) (arch.\(target).build_script); "
                    + "make one script of the two with case \"$PKG_ARCH\" when you can", folded: false))
            return kept
        }
    }

    /// Where the target's own copy of `baseScript` may go: `aarch64.build`, else (another
    /// variant holding that one) `aarch64.<variant>.build`.
    private func keptPaths(_ baseScript: String) -> [String] {
        [baseScript, original.variant.map { "\($0).build" }].compactMap { $0 }.map { Self.perArchitecturePath($0, target) }
    }

    private func script(_ path: String, of definition: PackageDefinition, rewritten: [String: String] = [:]) throws(Problems) -> String {
        if let text = rewritten[path] { return text }
        let data = try Self.read(definition.directory.child(path), file: definition.file, package: definition.name, field: "build_script")
        return String(decoding: data, as: UTF8.self)
    }

    /// `build` -> `aarch64.build`, `installer.build` -> `aarch64.installer.build`,
    /// `scripts/build.sh` -> `scripts/aarch64.build.sh`: the name is prefixed, so that a
    /// top-level `build` or `*.build` stays out of other architectures' ids (`PackageInputs`).
    static func perArchitecturePath(_ script: String, _ arch: Architecture) -> String {
        var components = script.split(separator: "/").map(String.init)
        components[components.count - 1] = "\(arch.rawValue).\(components[components.count - 1])"
        return components.joined(separator: "/")
    }
}
