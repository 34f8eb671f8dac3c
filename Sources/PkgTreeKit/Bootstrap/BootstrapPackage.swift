import Foundation

/// One package going into a bootstrap: its name, id and tarball in the cache.
public struct BootstrapPackage: Sendable {
    public var name: String
    public var id: String
    public var artifact: URL

    public init(name: String, id: String, artifact: URL) {
        self.name = name
        self.id = id
        self.artifact = artifact
    }
}

/// What the bootstrap needs to know of a package after streaming it: which files it has
/// and its two metadata files, read in the same pass.
struct StreamedPackage {
    var package: BootstrapPackage
    var copied: CopiedEntries

    func metadata(_ name: String) -> JSONValue? {
        copied.kept[name].flatMap { try? JSONFile.parse($0, displayPath: "\(package.artifact.path):\(name)") }
    }
}
