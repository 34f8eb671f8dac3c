/// The checks that compare architectures: a download or builder image that other
/// architectures' overlays replace but the target's does not, and a download whose checksum
/// is another architecture's.
extension BuildInfoScan {
    /// The architectures besides the target that the package builds for.
    private var otherArchitectures: [Architecture] {
        (info.architectures ?? Architecture.allCases).filter { $0 != target }
    }

    /// Values that are per-architecture by the overlays' own account: `docker`, `single_source`
    /// and each `sources.<name>` that another architecture's overlay sets. Without an overlay
    /// of its own the target gets the base value, meant for another architecture. The base of
    /// a pkgpanda tree is its x86_64 build, so x86_64 is not reported, and neither is a base
    /// value that names an architecture (`download-arch` and `builder-image` judge those).
    func missingOverrides() -> [LintFinding] {
        guard target != .x86_64 else { return [] }
        let effective = JSONValue.object(definition.effectiveJSON(for: target))
        let base = JSONValue.object(definition.base)
        let targetOverlay = JSONValue.object(definition.overlays[target] ?? [:])
        var overriders: [[String]: [Architecture]] = [:]
        for arch in otherArchitectures {
            guard let overlay = definition.overlays[arch] else { continue }
            for path in Self.perArchitecturePaths(in: .object(overlay)) { overriders[path, default: []].append(arch) }
        }
        return overriders.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { path in
            guard targetOverlay.value(at: path) == nil, effective.value(at: path) != nil,
                  let (valuePath, text) = Self.location(in: base, at: path),
                  ArchMention.find(in: text).isEmpty else { return nil }
            let archs = overriders[path]!.map(\.rawValue)
            let field = OverlaySuggestion.fieldName(path)
            let overlay = OverlaySuggestion.json(target: target, fields: [(valuePath, .string("…"))])
            return finding(valuePath, column: 1, rule: .overlayMissing, text: text,
                           message: "'\(field)' is set per architecture (in the overlay of \(archs.joined(separator: ", "))) but not for \(target), which gets the base value",
                           suggestion: "give \(target) its own value: \(overlay)")
        }
    }

    /// `docker`, `single_source`, `sources.<name>`, where an overlay sets what a source is.
    private static func perArchitecturePaths(in overlay: JSONValue) -> [[String]] {
        var paths: [[String]] = []
        if overlay.value(at: ["docker"]) != nil { paths.append(["docker"]) }
        if overlay.value(at: ["single_source"]).map(setsContent) == true { paths.append(["single_source"]) }
        for (name, source) in overlay.value(at: ["sources"])?.objectValue ?? [:] where setsContent(source) {
            paths.append(["sources", name])
        }
        return paths
    }

    private static func setsContent(_ source: JSONValue) -> Bool {
        ["url", "git", "sha256", "sha1", "ref", "rel_path"].contains { source.value(at: [$0]) != nil }
    }

    /// The string that says where a value comes from: the image, or a source's url or git.
    private static func location(in base: JSONValue, at path: [String]) -> ([String], String)? {
        if path == ["docker"] { return base.value(at: path)?.stringValue.map { (path, $0) } }
        for key in ["url", "git", "rel_path"] {
            if let text = base.value(at: path + [key])?.stringValue { return (path + [key], text) }
        }
        return nil
    }

    /// A download whose URL differs from another architecture's while its checksum is the
    /// same: one of the two checksums was copied and not updated. Reported for the
    /// architecture whose overlay touches the source, the one that was edited.
    func sharedChecksums() -> [LintFinding] {
        let targetOverlay = JSONValue.object(definition.overlays[target] ?? [:])
        let jsonPath: (String) -> [String] = { name in
            definition.effectiveJSON(for: target)["single_source"] != nil ? ["single_source"] : ["sources", name]
        }
        return info.sources.keys.sorted().compactMap { name in
            guard case .url(let url, let checksum, _)? = info.sources[name],
                  targetOverlay.value(at: jsonPath(name)) != nil else { return nil }
            for arch in otherArchitectures {
                guard case .success(let other) = definition.buildInfo(for: arch),
                      case .url(let otherURL, let otherChecksum, _)? = other.sources[name],
                      otherChecksum == checksum, otherURL != url else { continue }
                let path = jsonPath(name) + [checksum.algorithm]
                let overlay = OverlaySuggestion.json(target: target, fields: [(path, .string("<\(checksum.algorithm) of \(url)>"))])
                return finding(path, column: 1, rule: .downloadChecksum, text: checksum.hex,
                               message: "the \(target) download '\(url)' has the same \(checksum.algorithm) as the \(arch) download '\(otherURL)'; two different files cannot share it",
                               suggestion: "set the \(target) file's own checksum: \(overlay)")
            }
            return nil
        }
    }
}
