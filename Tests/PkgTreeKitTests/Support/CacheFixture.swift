import Foundation
@testable import PkgTreeKit

/// A fresh cache directory for one test.
struct CacheFixture {
    let layout: CacheLayout
    let index: CacheIndex

    init() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cache-\(UUID().uuidString)")
        layout = CacheLayout(root: root)
        index = try await CacheIndex.open(layout)
    }

    var store: ArtifactStore { ArtifactStore(index: index) }

    /// What `id` of package `name` (by default the id's part before `-`) is stored as.
    static func description(_ id: String, name: String? = nil, arch: Architecture = .x86_64) -> ArtifactStore.Description {
        let name = name ?? String(id.split(separator: "-").first ?? "pkg")
        return ArtifactStore.Description(id: id, name: name, variant: nil, arch: arch,
                                         builder: "test", inputs: .object(["id": .string(id)]), buildDuration: 0.5)
    }

    /// A build's output directory (what `$PKG_PATH` holds) with one file.
    func output(_ path: String, content: Data) throws -> URL {
        let output = layout.root.appendingPathComponent("output")
        let file = output.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: file)
        return output
    }

    /// Stores `content` as the artifact `id` of package `name`.
    @discardableResult
    func put(_ id: String, name: String? = nil, arch: Architecture = .x86_64, content: String = "artifact") async throws -> ArtifactStore.Outcome {
        try await store.place(Self.description(id, name: name, arch: arch)) { url in
            try Data(content.utf8).write(to: url)
            try Durability.syncFile(url)
        }
    }

    func url(of id: String) throws -> URL {
        layout.url(ofRelativePath: try index.artifact(id: id)!.path)
    }
}
