import Foundation

/// Loading one package directory: its variants, each buildinfo checked field by field.
extension TreeLoader {
    static func loadPackage(_ directory: URL, name: String) -> Result<[String?: PackageDefinition], Problems> {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        let fileNames = entries.filter { $0.hasSuffix(buildInfoSuffix) }
        if fileNames.isEmpty { return .success([:]) }
        if let reason = PackageName.invalidReason(name) {
            return .failure(Problems([Problem(file: DisplayPath.of(directory), package: name,
                                              "invalid package name: \(reason)", hint: "rename the directory")]))
        }
        var problems = ProblemCollector()
        var variants: [String?: PackageDefinition] = [:]
        for fileName in fileNames {
            let url = directory.child(fileName)
            let file = DisplayPath.of(url)
            switch variant(ofFile: fileName, suffix: buildInfoSuffix) {
            case .failure(var problem):
                problem.file = file
                problem.package = name
                problems.add(problem)
            case .success(let variant):
                switch loadDefinition(url, file: file, name: name, variant: variant, directory: directory, entries: entries) {
                case .success(let definition): variants[variant] = definition
                case .failure(let failure): problems.add(contentsOf: failure.all)
                }
            }
        }
        return problems.isEmpty ? .success(variants) : .failure(Problems(problems.problems))
    }

    private static func loadDefinition(_ url: URL, file: String, name: String, variant: String?,
                                       directory: URL, entries: [String]) -> Result<PackageDefinition, Problems> {
        do {
            let json = try JSONFile.read(url, displayPath: file, package: name)
            return definition(json, file: file, name: name, variant: variant, directory: directory, entries: entries)
        } catch {
            return .failure(Problems([error]))
        }
    }

    /// Checks a buildinfo already parsed, without touching the disk (the fuzz target and the
    /// loader share it, so fuzzing exercises exactly what loading a file does).
    static func definition(_ json: JSONValue, file: String, name: String, variant: String?,
                           directory: URL, entries: [String]) -> Result<PackageDefinition, Problems> {
        guard case .object(var base) = json else {
            return .failure(Problems([Problem(file: file, package: name,
                                              "expected a JSON object, found \(json.typeName)",
                                              hint: "a buildinfo file holds an object such as {\"requires\": []}")]))
        }
        var reader = BuildInfoReader(file: file, package: name, complete: false)
        _ = reader.read(base)
        let overlays = readOverlays(base.removeValue(forKey: "arch"), reader: &reader)
        guard reader.problems.isEmpty else { return .failure(Problems(reader.problems)) }
        return .success(PackageDefinition(name: name, variant: variant, directory: directory, entries: entries, file: file,
                                          base: base, overlays: overlays))
    }

    /// Checks the `arch` field: an object keyed by architecture (aliases accepted), each value a
    /// partial buildinfo.
    private static func readOverlays(_ value: JSONValue?, reader: inout BuildInfoReader) -> [Architecture: [String: JSONValue]] {
        guard let value else { return [:] }
        guard case .object(let entries) = value else {
            reader.typeMismatch("arch", expected: "an object of architecture -> partial buildinfo", found: value)
            return [:]
        }
        var overlays: [Architecture: [String: JSONValue]] = [:]
        for key in entries.keys.sorted() {
            let path = "arch.\(key)"
            guard let arch = reader.architecture(.string(key), path) else { continue }
            guard case .object(let overlay) = entries[key]! else {
                reader.typeMismatch(path, expected: "an object (a partial buildinfo)", found: entries[key]!)
                continue
            }
            if overlays[arch] != nil {
                reader.problem(path, "overlays \(arch) a second time (under another of its names)",
                               hint: "merge the two entries into one 'arch.\(arch)'")
                continue
            }
            _ = reader.read(overlay, prefix: path + ".", isOverlay: true)
            overlays[arch] = overlay
        }
        return overlays
    }
}
