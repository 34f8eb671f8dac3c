import Foundation

/// Finds the places where an area of `Sources/PkgTreeKit` uses an area above it in the layer
/// order of `docs/architecture.md`. An area is a folder; it owns the types declared at the top
/// level of its files, and the members its top-level extensions add to types from outside the
/// package (`Digest.hexString`). A file uses a type when the type's name appears in its code
/// as a word not after a `.`, and such a member when `.name` appears; comments and string
/// literals do not count, interpolations in them do. Types the file declares itself (nested
/// ones) and members its area declares (a protocol's requirements, which a higher area's
/// extension fulfils) are its own. Word matching is enough here: type names are distinctive, and a false
/// alarm names the file and line to look at.
struct LayerCheck {
    struct SourceFile {
        var area: String
        /// As shown in findings.
        var path: String
        var text: String
    }

    struct Violation: Equatable, CustomStringConvertible {
        var path: String
        var line: Int
        var name: String
        var area: String
        var ownArea: String

        var description: String { "\(path):\(line) uses \(name) (\(area)) above its own area (\(ownArea))" }
    }

    /// The areas from the bottom up, as the numbered list of `docs/architecture.md` gives them:
    /// lines such as "3. `Model/` — …".
    static func order(fromArchitectureDocument text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard let match = line.firstMatch(of: #/^\d+\. `([A-Za-z]+)/`/#) else { return nil }
            return String(match.1)
        }
    }

    /// Every Swift file under `root`, by area (its first folder).
    static func files(under root: URL) throws -> [SourceFile] {
        let areas = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        return try areas.filter { FileManager.default.isDirectory(root.appendingPathComponent($0)) }.flatMap { area in
            let folder = root.appendingPathComponent(area)
            let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            return try names.filter { $0.hasSuffix(".swift") }.sorted().map { name in
                let url = folder.appendingPathComponent(name)
                return SourceFile(area: area, path: "\(area)/\(name)", text: try String(contentsOf: url, encoding: .utf8))
            }
        }
    }

    /// The uses of a higher area, in file and line order.
    static func violations(order: [String], files: [SourceFile]) -> [Violation] {
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let code = files.map { SourceCode.code(of: $0.text) }
        var typeArea: [String: String] = [:]
        for (file, text) in zip(files, code) {
            for name in SourceCode.topLevelTypes(in: text) { typeArea[name] = typeArea[name] ?? file.area }
        }
        var memberArea: [String: String] = [:]
        for (file, text) in zip(files, code) {
            for name in SourceCode.outsideExtensionMembers(in: text, declared: Set(typeArea.keys)) {
                memberArea[name] = memberArea[name] ?? file.area
            }
        }
        var areaMembers: [String: Set<String>] = [:]
        for (file, text) in zip(files, code) { areaMembers[file.area, default: []].formUnion(SourceCode.declaredMembers(in: text)) }
        var violations: [Violation] = []
        for (file, text) in zip(files, code) {
            guard let own = rank[file.area] else { continue }
            let localTypes = SourceCode.declaredTypes(in: text), ownMembers = areaMembers[file.area] ?? []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for word in SourceCode.words(in: line) {
                    let area = word.afterDot ? (ownMembers.contains(word.name) ? nil : memberArea[word.name])
                        : (localTypes.contains(word.name) ? nil : typeArea[word.name])
                    guard let area, let above = rank[area], above > own else { continue }
                    let violation = Violation(path: file.path, line: index + 1, name: word.name, area: area, ownArea: file.area)
                    if violations.last != violation { violations.append(violation) }
                }
            }
        }
        return violations
    }
}

private extension FileManager {
    func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
