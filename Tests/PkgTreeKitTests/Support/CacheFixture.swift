import Foundation
@testable import PkgTreeKit

/// A fresh cache directory for one test.
struct CacheFixture {
    let layout: CacheLayout
    let index: CacheIndex

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cache-\(UUID().uuidString)")
        layout = CacheLayout(root: root)
        index = try CacheIndex(layout)
    }

    var store: ArtifactStore { ArtifactStore(index: index) }

    /// Stores `content` as the artifact `id` of package `name`.
    @discardableResult
    func put(_ id: String, name: String? = nil, arch: Architecture = .x86_64, content: String = "artifact") throws -> ArtifactStore.Outcome {
        let name = name ?? String(id.split(separator: "-").first ?? "pkg")
        let description = ArtifactStore.Description(id: id, name: name, variant: nil, arch: arch,
                                                     builder: "test", inputs: .object(["id": .string(id)]), buildDuration: 0.5)
        return try store.place(description) { url in
            try Data(content.utf8).write(to: url)
            try Durability.syncFile(url)
        }
    }

    func url(of id: String) throws -> URL {
        layout.url(ofRelativePath: try index.artifact(id: id)!.path)
    }
}
