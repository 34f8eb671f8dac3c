import Foundation
import Glibc

/// A build's install root takes its dependencies from unpacked copies of their cached
/// artifacts, kept in `cache/unpacked/<arch>/<id>/packages/<id>/` and made once (extract into
/// `tmp/`, then rename), so the next build that needs the same dependency uses it at once.
/// The `packages/<id>/` inside makes each copy a directory that, laid over others (bwrap
/// stacks them as overlayfs layers), shows the package where the install root has it; beside
/// it, `active/<name>` -> `../packages/<id>` is the link activation makes for the package, so
/// that a build's own layer need not make a thousand of them. A copy is made under the
/// dependency's lock, from a file whose sha256 was checked against its row.
struct DependencyUnpacker: Sendable {
    let layout: CacheLayout
    let index: CacheIndex

    /// The link a copy holds beside the package, relative to the copy, and its target.
    static func activeLink(_ id: String) -> (path: String, target: String) {
        ("active/\(PackageID(id)?.name ?? id)", "../packages/\(id)")
    }

    /// The unpacked package's own directory (`…/<id>/packages/<id>`).
    func unpacked(_ id: String) async throws -> URL {
        // The row without its build inputs (a thousand ids deep in a large tree), read once per run.
        guard let row = try index.artifactRow(id: id) else {
            throw CacheError.io(id, "is required but not in the cache; build it first")
        }
        let container = layout.unpackedCopy(arch: row.arch, id: id)
        let content = container.child("packages/\(id)")
        let link = container.child(Self.activeLink(id).path)
        if FileStatus.isDirectory(content.path), FileStatus.of(link.path) != nil { return content }
        let store = ArtifactStore(index: index)
        let lock = try await store.lock(id)
        defer { lock.unlock() }
        if FileStatus.isDirectory(content.path) {  // unpacked while we waited, or by a pkgtree before copies held the link
            if FileStatus.of(link.path) == nil { try addActiveLink(id, to: container) }
            return content
        }
        // A copy an older pkgtree made holds the package at the top: unpacked again.
        if FileStatus.of(container.path) != nil { ScratchRemoval.remove(container) }
        // The file is about to be read whole, so hashing it first costs little, and bits that
        // rotted under an unchanged stamp never reach a build.
        let artifact: URL
        switch try store.lookUp(id, rehash: true) {
        case .intact(let record): artifact = layout.url(ofRelativePath: record.path)
        case .absent: throw CacheError.io(id, "is required but not in the cache; build it first")
        case .discarded(let path, let reason): throw CacheError.corruptDependency(layout.url(ofRelativePath: path).path, id, reason)
        }
        // Staged for the id, whose lock is held: another process's repair pass leaves it alone.
        try StagedPublish(container, what: "unpacked dependency", stagingIn: layout.tmp, owner: id, existing: .keep).publish { staging in
            _ = try ArchiveExtractor.extract(artifact, into: staging.child("packages/\(id)"))
            try Self.writeActiveDirectory(id, at: staging.child("active"))
        }
        return content
    }

    /// Gives a copy made without it its `active/` (staged, then renamed in whole, with the id's
    /// lock held): a copy never shows a half-made one.
    private func addActiveLink(_ id: String, to container: URL) throws {
        try StagedPublish(container.child("active"), what: "unpacked dependency", stagingIn: layout.tmp, owner: id, existing: .keep)
            .publish { staging in try Self.writeActiveDirectory(id, at: staging) }
    }

    /// `active/` holding the package's link, at `directory`.
    private static func writeActiveDirectory(_ id: String, at directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let link = activeLink(id)
        let path = directory.child(String(link.path.dropFirst("active/".count))).path
        try LinkFarm.check(Glibc.symlink(link.target, path), path)
    }
}
