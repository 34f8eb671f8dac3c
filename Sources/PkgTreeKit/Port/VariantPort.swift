import Foundation

/// Folds one variant of one package: its buildinfo into an `arch` overlay for the target (and,
/// when support changes, its `architectures`), its build script into a shared script or a
/// per-architecture copy. The buildinfo is edited in its text and read back before anything
/// is planned: the target must read as the fork's, every other architecture as before.
struct VariantPort {
    let original: PackageDefinition
    let fork: PackageDefinition
    let target: Architecture
    let base: Architecture
    /// Package names of this tree, to catch a requirement only the fork can satisfy.
    let knownPackages: Set<String>

    struct Outcome {
        var changes: [PortChange] = []
        var edits: [PortEdit] = []
        var overlayWritten = false
        var unified = false
        var perArchitecture = false
    }

    /// `scripts`: build scripts of this package already rewritten (by another variant), by path.
    func fold(scripts: inout [String: String]) throws(Problems) -> Outcome {
        var outcome = Outcome()
        let forkInfo = try Self.info(fork, for: target)
        let originalData = try Self.read(original.buildInfoURL, file: original.file, package: original.name)
        let originalIndex = JSONLineIndex(originalData)
        let architectures = ArchitecturesFold.fold(original: original.base["architectures"], fork: forkInfo.architectures,
                                                   target: target)
        let report = OverlayReport(original: original, index: originalIndex, target: target)
        var overlay = original.overlays[target] ?? [:]
        var fold: OverlayFold?
        if forkInfo.supports(target) {
            let buildinfo = OverlayFold(base: original.base, target: fork.effectiveJSON(for: target))
            overlay = buildinfo.overlay
            if let script = try foldScript(forkInfo, scripts: &scripts, into: &outcome) { overlay["build_script"] = .string(script) }
            review(buildinfo, overlay: overlay, expected: forkInfo, report: report, into: &outcome)
            fold = buildinfo
        }
        if architectures == .review {
            outcome.changes.append(report.change(["architectures"], kind: .architectures, folded: false,
                                                 "this tree lists no architectures (all of them) but the fork leaves \(target) out; "
                                                     + "list the architectures the package supports, without \(target)"))
        }
        guard overlay != (original.overlays[target] ?? [:]) || architectures.isChange else { return outcome }
        let edited = edit(originalData, index: originalIndex, overlay: overlay, architectures: architectures, fork: fork)
        guard readsBack(edited, overlay: overlay, expected: forkInfo) else {
            outcome.changes.append(report.change([], kind: .buildinfo, folded: false,
                                                 "the overlay could not be written into the file in place; add it by hand: "
                                                     + OverlaySuggestion.json(target: target, fields: overlay.map { ([$0.key], $0.value) })))
            return outcome
        }
        outcome.edits.append(.write(original.buildInfoURL, edited, permissions: nil))
        outcome.overlayWritten = overlay != (original.overlays[target] ?? [:])
        outcome.changes += report.lines(fold: fold, overlay: overlay, architectures: architectures)
        return outcome
    }

    /// Chooses the script the target runs; returns the overlay's `build_script` when the
    /// default one is not it.
    private func foldScript(_ forkInfo: BuildInfo, scripts: inout [String: String], into outcome: inout Outcome) throws(Problems) -> String? {
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

    /// What the overlay cannot make the same as the fork's buildinfo.
    private func review(_ fold: OverlayFold, overlay: [String: JSONValue], expected: BuildInfo, report: OverlayReport,
                        into outcome: inout Outcome) {
        switch candidate(overlay) {
        case .failure(let problems):
            outcome.changes.append(report.change([], kind: .buildinfo, folded: false,
                                                 "the fork's buildinfo for \(target) does not merge over this one: \(problems.all[0].message)"))
        case .success(let info) where BuildInfoMeaning(info) != BuildInfoMeaning(expected):
            let keys = fold.removed.map(OverlaySuggestion.fieldName)
            let what = keys.isEmpty ? "differs from the fork's after the merge"
                : "lacks what the fork removed: \(keys.map { "'\($0)'" }.joined(separator: ", ")); an overlay cannot remove a key"
            outcome.changes.append(report.change([], kind: .buildinfo, folded: false,
                                                 "the buildinfo for \(target) \(what); move those keys from the top level into the "
                                                     + "other architectures' overlays, or drop them in the build script for \(target)"))
        case .success(let info):
            for requirement in info.requires where !knownPackages.contains(requirement.name) {
                outcome.changes.append(report.change(["requires"], kind: .buildinfo, folded: false,
                                                     "for \(target) it requires '\(requirement.name)', which only the fork has; bring the package over too"))
            }
        }
    }

    /// This tree's buildinfo with `overlay` as the target's, read for the target.
    private func candidate(_ overlay: [String: JSONValue]) -> Result<BuildInfo, Problems> {
        var json = original.base
        json["arch"] = .object([target.rawValue: .object(overlay)])
        switch TreeLoader.definition(.object(json), file: original.file, name: original.name, variant: original.variant,
                                     directory: original.directory, entries: original.entries) {
        case .success(let definition): return definition.buildInfo(for: target)
        case .failure(let problems): return .failure(problems)
        }
    }

    private func edit(_ data: Data, index: JSONLineIndex, overlay: [String: JSONValue],
                      architectures: ArchitecturesFold.Outcome, fork: PackageDefinition) -> Data {
        var editor = JSONTextEditor(data)
        let forkData = (try? Data(contentsOf: fork.buildInfoURL)) ?? Data()
        let renderer = OverlayRendering(original: original, originalIndex: index, fork: fork, forkData: forkData,
                                        target: target, unit: editor.unit, newline: editor.newline).renderer
        if case .set(let list) = architectures {
            editor.set(["architectures"]) { _, _ in OverlaySuggestion.inline(list) }
        }
        let key = OverlayRendering.overlayKey(in: index, target) ?? target.rawValue
        if overlay.isEmpty {
            editor.remove(original.overlays.count == 1 ? ["arch"] : ["arch", key])
        } else if editor.contains(["arch"]) {
            editor.set(["arch", key]) { renderer.render(.object(overlay), path: [], indent: $0, multiline: $1) }
        } else {
            let (unit, newline) = (editor.unit, editor.newline)
            editor.set(["arch"]) { indent, multiline in
                let inner = indent + (multiline ? unit : "")
                let body = renderer.render(.object(overlay), path: [], indent: inner, multiline: multiline)
                return multiline ? "{" + newline + inner + "\"\(key)\": " + body + newline + indent + "}"
                    : "{\"\(key)\": " + body + "}"
            }
        }
        return editor.data
    }

    /// The edited file, loaded again: the target reads as the overlay says, every other
    /// architecture exactly as before, and each supports what it should.
    private func readsBack(_ data: Data, overlay: [String: JSONValue], expected: BuildInfo) -> Bool {
        guard let json = try? JSONFile.parse(data, displayPath: original.file),
              case .success(let edited) = TreeLoader.definition(json, file: original.file, name: original.name, variant: original.variant,
                                                                directory: original.directory, entries: original.entries)
        else { return false }
        for arch in Architecture.allCases {
            guard case .success(var after) = edited.buildInfo(for: arch),
                  case .success(var before) = arch == target ? candidate(overlay) : original.buildInfo(for: arch)
            else { return false }
            let supports = arch == target ? expected.supports(target) : before.supports(arch)
            guard after.supports(arch) == supports else { return false }
            (before.architectures, after.architectures) = (nil, nil)
            if before != after { return false }
        }
        return true
    }

    // MARK: - Reading

    static func info(_ definition: PackageDefinition, for arch: Architecture) throws(Problems) -> BuildInfo {
        try definition.buildInfo(for: arch).get()
    }

    private func script(_ path: String, of definition: PackageDefinition, rewritten: [String: String] = [:]) throws(Problems) -> String {
        if let text = rewritten[path] { return text }
        let data = try Self.read(definition.directory.child(path), file: definition.file, package: definition.name, field: "build_script")
        return String(decoding: data, as: UTF8.self)
    }

    static func read(_ url: URL, file: String, package: String, field: String? = nil) throws(Problems) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw Problems([Problem(file: field == nil ? DisplayPath.of(url) : file, package: package, field: field,
                                    "\(DisplayPath.of(url)) cannot be read: \(error.localizedDescription)",
                                    hint: "both trees must load and resolve; `pkgtree plan --packages DIR` shows what is wrong")])
        }
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

extension ArchitecturesFold.Outcome {
    var isChange: Bool {
        if case .set = self { return true }
        return false
    }
}
