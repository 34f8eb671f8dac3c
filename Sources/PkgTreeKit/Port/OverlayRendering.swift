import Foundation

/// How the overlay is written into this tree's buildinfo: keys in the order this file has
/// them (then the fork's file, for keys only the fork has), and values the fork wrote whole (a source object, a list)
/// in the fork's own text, so the overlay reads like the fork's buildinfo did.
struct OverlayRendering {
    let original: PackageDefinition
    let originalIndex: JSONLineIndex
    let fork: PackageDefinition
    let forkData: Data
    let target: Architecture
    let unit: String
    let newline: String

    var renderer: JSONRenderer {
        let forkIndex = JSONLineIndex(forkData)
        let forkBytes = Array(forkData)
        let forkUnit = JSONTextEditor(forkData).unit
        let originalSize = originalIndex.valueRanges[[]]?.upperBound ?? 0
        let forkOverlay = Self.overlayKey(in: forkIndex, target).map { ["arch", $0] }
        let originalOverlay = Self.overlayKey(in: originalIndex, target).map { ["arch", $0] }
        let (fork, target) = (fork, target)
        /// Where the value at `path` of the fork's effective buildinfo stands in its file.
        let location = { (path: [String]) -> [String] in
            let inOverlay = fork.overlays[target].map { Self.value(at: path, in: .object($0)) != nil } ?? false
            return inOverlay ? (forkOverlay ?? []) + path : path
        }
        var renderer = JSONRenderer(unit: unit, newline: newline, rank: { path, key in
            if let offset = originalOverlay.flatMap({ originalIndex.keyOffsets[$0 + path + [key]] }) ?? originalIndex.keyOffsets[path + [key]] {
                return offset
            }
            let offset = forkOverlay.flatMap { forkIndex.keyOffsets[$0 + path + [key]] } ?? forkIndex.keyOffsets[path + [key]]
            return offset.map { $0 + originalSize }
        }, rawText: { path, value in
            // A value merged from the fork's base and overlay reads as neither's text: rendered.
            guard !path.isEmpty, Self.isContainer(value), let range = forkIndex.valueRanges[location(path)] else { return nil }
            let text = String(decoding: forkBytes[range], as: UTF8.self)
            guard let parsed = try? JSONFile.parse(Data("[\(text)]".utf8), displayPath: ""), parsed == .array([value]) else { return nil }
            return (text, JSONTextEditor.indent(at: forkIndex.keyOffsets[location(path)] ?? range.lowerBound, in: forkBytes), forkUnit)
        })
        renderer.isInline = { path in
            guard !path.isEmpty, let range = forkIndex.valueRanges[location(path)] else { return false }
            return !forkBytes[range].contains(0x0A)
        }
        return renderer
    }

    /// How the file spells the target's key of `arch` (`arm64` or `aarch64`), if it has one.
    static func overlayKey(in index: JSONLineIndex, _ target: Architecture) -> String? {
        JSONTextEditor.members(of: ["arch"], in: index).map { $0[1] }.first { Architecture(name: $0) == target }
    }

    static func value(at path: [String], in value: JSONValue) -> JSONValue? {
        path.reduce(Optional(value)) { current, key in current?.objectValue?[key] }
    }

    private static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }
}
