import Foundation

/// A package's buildinfo as it applies to the target, after its `arch` overlay: strings
/// naming another architecture (downloads, the builder image, environment values…), and
/// per-architecture values the target's overlay forgot (see `BuildInfoScan+Overlays`).
/// Findings point at the line in the file where the value was written (the base, or the
/// target's overlay), and suggest the overlay that fixes them.
struct BuildInfoScan {
    let definition: PackageDefinition
    /// The effective buildinfo for `target`.
    let info: BuildInfo
    let target: Architecture
    /// The architecture the builder image runs on: the host's for a cross build.
    let builderArch: Architecture
    let file: String
    let lines: [String]
    let index: JSONLineIndex
    /// How the file spells the target's key under `arch` (`arm64` or `aarch64`), if it has one.
    let overlayKey: String?

    /// Fields whose text is not about the build's architecture: the list of supported
    /// architectures, lint settings, package names, checksums and commits.
    static let skippedFields: Set<String> = ["architectures", LintSettings.fieldName, "requires"]
    static let skippedLeaves: Set<String> = ["sha256", "sha1", "ref", "kind"]

    init?(_ definition: PackageDefinition, info: BuildInfo, target: Architecture, builderArch: Architecture) {
        guard let data = FileManager.default.contents(atPath: definition.buildInfoURL.path) else { return nil }
        self.definition = definition
        self.info = info
        self.target = target
        self.builderArch = builderArch
        self.file = definition.file
        self.lines = LintedFile.lines(of: data)
        self.index = JSONLineIndex(data)
        self.overlayKey = index.positions.keys.first { $0.count == 2 && $0[0] == "arch" && Architecture(name: $0[1]) == target }?[1]
    }

    func findings() -> [LintFinding] {
        let effective = JSONValue.object(definition.effectiveJSON(for: target))
        var findings = Self.strings(in: effective, at: []).flatMap { path, text in stringFindings(path, text) }
        findings += missingOverrides() + sharedChecksums()
        return findings.filter { !info.lint.ignores($0.rule) }
    }

    /// Every string of `value` worth reading, with its path.
    static func strings(in value: JSONValue, at path: [String]) -> [([String], String)] {
        switch value {
        case .string(let text): return skippedLeaves.contains(path.last ?? "") ? [] : [(path, text)]
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { key, field in
                path.isEmpty && skippedFields.contains(key) ? [] : strings(in: field, at: path + [key])
            }
        case .array(let items):
            return items.enumerated().flatMap { strings(in: $1, at: path + ["[\($0)]"]) }
        default: return []
        }
    }

    private func stringFindings(_ path: [String], _ text: String) -> [LintFinding] {
        let mentions = ArchMention.foreign(in: text, target: target)
        guard let first = mentions.first else { return [] }
        if Self.isSourceLocation(path) {
            let fixed = OverlaySuggestion.retargeted(text, target: target)
            let checksum = info.sources[sourceName(path)].flatMap(\.checksumAlgorithm) ?? "sha256"
            let overlay = OverlaySuggestion.json(target: target, fields: [
                (path, .string(fixed == text ? "…" : fixed)),
                (Array(path.dropLast()) + [checksum], .string("<\(checksum) of the \(target) download>")),
            ])
            return [finding(path, column: first.column, rule: .downloadArch, text: first.text,
                            message: "downloads the \(first.arch) build ('\(first.text)' in \(text)); this build is for \(target)",
                            suggestion: "give \(target) its own download in an overlay: \(overlay)")]
        }
        if path == ["docker"] {
            guard let advice = BuilderImageAdvice(text, target: builderArch) else { return [] }
            return [finding(path, column: 1, rule: .builderImage, text: text,
                            message: advice.message(target: builderArch),
                            suggestion: advice.fieldSuggestion(target: builderArch, field: "docker"))]
        }
        let fixed = OverlaySuggestion.retargeted(text, target: target)
        let overlay = OverlaySuggestion.json(target: target, fields: [(path, .string(fixed == text ? "…" : fixed))])
        return mentions.map { mention in
            finding(path, column: mention.column, rule: mention.rule, text: mention.text,
                    message: mention.message(target: target), suggestion: "set it per architecture: \(overlay)")
        }
    }

    /// `single_source.url`, `sources.<name>.git` and the like: where a source comes from.
    static func isSourceLocation(_ path: [String]) -> Bool {
        guard let last = path.last, last == "url" || last == "git" else { return false }
        return path.count == 2 && path[0] == "single_source" || path.count == 3 && path[0] == "sources"
    }

    /// The name a source has in `BuildInfo.sources` (a `single_source` has the package's name).
    func sourceName(_ path: [String]) -> String {
        path.first == "single_source" ? definition.name : path.count > 1 ? path[1] : ""
    }

    /// A finding at the value of `path` (the target's overlay when it sets it, else the base);
    /// `column` is within the string.
    func finding(_ path: [String], column: Int, rule: LintRule, text: String, message: String, suggestion: String) -> LintFinding {
        let written = filePath(of: path)
        let position = index.position(of: written) ?? overlayKey.flatMap { index.position(of: ["arch", $0]) }
        let line = position?.line ?? 1
        return LintFinding(file: file, line: line, column: (position?.column ?? 0) + column, package: definition.name,
                           rule: rule, text: text, message: message, suggestion: suggestion,
                           sourceLine: lines.indices.contains(line - 1) ? lines[line - 1] : nil,
                           field: OverlaySuggestion.fieldName(written))
    }

    /// Where in the file `path` of the effective buildinfo was written.
    func filePath(of path: [String]) -> [String] {
        guard let overlayKey, let overlay = definition.overlays[target],
              JSONValue.object(overlay).value(at: path) != nil else { return path }
        return ["arch", overlayKey] + path
    }
}

extension JSONValue {
    /// The value at a path of keys (array elements as `[i]`).
    func value(at path: [String]) -> JSONValue? {
        guard let key = path.first else { return self }
        switch self {
        case .object(let fields): return fields[key]?.value(at: Array(path.dropFirst()))
        case .array(let items):
            guard let index = Int(key.dropFirst().dropLast()), items.indices.contains(index) else { return nil }
            return items[index].value(at: Array(path.dropFirst()))
        default: return nil
        }
    }
}

extension Source {
    /// `sha256` or `sha1` for downloads.
    var checksumAlgorithm: String? {
        if case .url(_, let checksum, _) = self { return checksum.algorithm }
        return nil
    }
}
