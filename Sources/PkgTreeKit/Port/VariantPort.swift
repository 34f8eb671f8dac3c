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

    static func read(_ url: URL, file: String, package: String, field: String? = nil) throws(Problems) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw Problems([Problem(file: field == nil ? DisplayPath.of(url) : file, package: package, field: field,
                                    "\(DisplayPath.of(url)) cannot be read: \(error.localizedDescription)",
                                    hint: "both trees must load and resolve; `pkgtree plan --packages DIR` shows what is wrong")])
        }
    }
}

extension ArchitecturesFold.Outcome {
    var isChange: Bool {
        if case .set = self { return true }
        return false
    }
}
