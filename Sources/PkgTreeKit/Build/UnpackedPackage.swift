import Foundation

/// What a build needs of one dependency, read once from its unpacked copy in
/// `cache/unpacked/<arch>/<id>/`: where it is, the paths of its files (for the link farm and
/// activation's links) and its two metadata files.
struct UnpackedPackage: Sendable {
    var name: String
    var id: String
    var content: URL
    /// Its files, parents before children.
    var entries: [LinkFarm.Entry]
    var pkgInfo: JSONValue?
    /// `buildinfo.full.json` as canonical JSON.
    var buildInfoFull: [UInt8]?

    init(name: String, id: String, content: URL) throws {
        self.name = name
        self.id = id
        self.content = content
        entries = try Self.walk(content)
        pkgInfo = try? JSONFile.read(content.child("pkginfo.json"), displayPath: content.path)
        // Parsed and written again: a file pkgtree did not write (an imported artifact) still
        // gives valid canonical JSON in `active.buildinfo.full.json`.
        buildInfoFull = (try? JSONFile.read(content.child("buildinfo.full.json"), displayPath: content.path)).map(CanonicalJSON.bytes)
    }

    var activated: Activation.Package {
        Activation.Package(name: name, id: id, paths: entries.map { ($0.path, $0.isDirectory) }, pkgInfo: pkgInfo,
                           buildInfoFull: buildInfoFull)
    }

    /// Every path under `root`, depth first, parents before their children.
    private static func walk(_ root: URL) throws -> [LinkFarm.Entry] {
        var result: [LinkFarm.Entry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : root.child(relative)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            } catch {
                throw CacheError.io(directory.path, "cannot be listed: \(error.localizedDescription)")
            }
            for name in names {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let status = FileStatus.of(root.child(path).path)
                let isDirectory = status?.kind == .directory
                result.append(LinkFarm.Entry(path: path, isDirectory: isDirectory, permissions: status?.permissions ?? 0o755))
                if isDirectory { pending.append(path) }
            }
        }
        return result
    }
}
