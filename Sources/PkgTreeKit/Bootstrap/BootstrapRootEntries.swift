import Foundation

/// Everything a bootstrap holds beside `packages/`: pkgpanda's activation of the streamed
/// packages (`Activation`), computed from what was seen while streaming them, plus
/// `active.json` (the package ids) and `bootstrap`, an empty marker: pkgpanda's `setup`
/// activates a root that has one.
enum BootstrapRootEntries {
    /// The entries, sorted by path (so a directory comes before what it holds).
    static func entries(for packages: [StreamedPackage], installRoot: String) throws -> [Activation.Entry] {
        let activated = packages.map { streamed in
            Activation.Package(name: streamed.package.name, id: streamed.package.id, paths: streamed.copied.paths,
                               pkgInfo: streamed.metadata(PackageMetadataFile.pkgInfo),
                               buildInfoFull: streamed.metadata(PackageMetadataFile.buildInfoFull).map(CanonicalJSON.bytes))
        }
        let ids = packages.map(\.package.id).sorted()
        let entries = try Activation.entries(activated, installRoot: installRoot) + [
            .file("active.json", .init(CanonicalJSON.fileData(.array(ids.map(JSONValue.string))))),
            .file("bootstrap", .init(Data())),
        ]
        return entries.sorted { $0.path < $1.path }
    }
}

extension Activation.Entry {
    func write(to writer: ArchiveWriter) throws {
        switch self {
        case .directory(let path): try writer.add(directory: path)
        case .symlink(let path, let target): try writer.add(symlink: path, target: target)
        case .file(let path, let contents): try writer.add(file: path, contents: contents.data)
        }
    }
}
