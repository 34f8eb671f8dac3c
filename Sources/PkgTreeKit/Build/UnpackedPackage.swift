import Foundation

/// What a build needs of one dependency, read once from its unpacked copy in
/// `cache/unpacked/<arch>/<id>/packages/<id>/`: where it is, the paths of its files (for the link farm and
/// activation's links) and its two metadata files. A class: a run shares one among the
/// thousand builds that need it, and passing it costs one reference, not a copy of each field.
final class UnpackedPackage: Sendable {
    /// As activation sees it (made once: a deep build activates a thousand of these).
    let activated: Activation.Package
    /// As an install root takes it (`layer`: the directory holding only `packages/<id>/`,
    /// `DependencyUnpacker`'s layout).
    let dependency: BuildInvocation.InstallRoot.Dependency

    /// Paths are handled as strings: a run reads a thousand copies, and URL's parsing of every
    /// path it appends to cost more than the reading.
    init(name: String, id: String, content: URL) throws {
        let root = content.path
        let entries = try Self.walk(root)
        let pkgInfo = try? JSONFile.read(content.child(PackageMetadataFile.pkgInfo), displayPath: root)
        activated = Activation.Package(name: name, id: id, paths: entries.map { ($0.path, $0.isDirectory) }, pkgInfo: pkgInfo,
                                       buildInfoFull: Self.canonicalBytes(of: "\(root)/\(PackageMetadataFile.buildInfoFull)"))
        let layer = Self.parent(of: Self.parent(of: root))  // …/<id>, holding packages/<id>
        let link = DependencyUnpacker.activeLink(id)
        let linked = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(layer)/\(link.path)")) == link.target
        dependency = .init(id: id, content: content, layerParent: Self.parent(of: layer),
                           layerName: String(layer[layer.index(after: layer.lastIndex(of: "/") ?? layer.startIndex)...]),
                           activeLink: linked ? link.path : nil, files: entries)
    }

    /// `path` without its last component.
    private static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? path
    }

    /// The bytes of a JSON file pkgtree wrote (`CanonicalJSON.fileData`: canonical JSON and a
    /// newline), without the newline. Not parsed again: deep in a large tree these files list
    /// a thousand ids each, and a run reads one per dependency.
    private static func canonicalBytes(of file: String) -> [UInt8]? {
        guard var bytes = FileManager.default.contents(atPath: file).map([UInt8].init) else { return nil }
        while let last = bytes.last, last == 0x0A || last == 0x20 || last == 0x0D || last == 0x09 { bytes.removeLast() }
        return bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}") ? bytes : nil
    }

    /// Every path under `root`, depth first, parents before their children.
    private static func walk(_ root: String) throws -> [LinkFarm.Entry] {
        var result: [LinkFarm.Entry] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? root : "\(root)/\(relative)"
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                throw IOError(directory, "cannot be listed: \(error.localizedDescription)")
            }
            for name in names {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let status = FileStatus.of("\(root)/\(path)")
                let isDirectory = status?.kind == .directory
                result.append(LinkFarm.Entry(path: path, isDirectory: isDirectory, permissions: status?.permissions ?? 0o755))
                if isDirectory { pending.append(path) }
            }
        }
        return result
    }
}
