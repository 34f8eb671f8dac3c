import Foundation

/// The small files that name a bootstrap, as pkgpanda writes them next to its tarballs:
/// `<id>.active.json` (the ids in the tarball), `[<variant>.]bootstrap.latest` (the id) and
/// `[<variant>.]complete.latest.json` (the id and every package id of the tree variant).
/// Each is written whole or not at all.
enum BootstrapPointers {
    static func write(id: String, bootstrapPackageIDs: [String], plan: BuildPlan, into directory: URL) throws {
        try writeActiveList(id: id, bootstrapPackageIDs: bootstrapPackageIDs, into: directory)
        try writeLatest(id: id, plan: plan, into: directory)
    }

    /// `<id>.active.json`: named by the id, so never changed once written.
    static func writeActiveList(id: String, bootstrapPackageIDs: [String], into directory: URL) throws {
        try write(CanonicalJSON.fileData(.array(bootstrapPackageIDs.sorted().map(JSONValue.string))),
                  directory.child(activeListName(id)), id: id)
    }

    /// The mutable pointers, `[<variant>.]bootstrap.latest` and `[<variant>.]complete.latest.json`:
    /// written last, once what they point at is complete.
    static func writeLatest(id: String, plan: BuildPlan, into directory: URL) throws {
        let prefix = BootstrapDirectory.prefix(plan.treeVariant)
        try write(Data(id.utf8), directory.child("\(prefix)bootstrap.latest"), id: id)
        try write(CanonicalJSON.fileData(.object([
            "bootstrap": .string(id),
            "packages": .array(plan.packages.map(\.id).sorted().map(JSONValue.string)),
        ])), directory.child("\(prefix)complete.latest.json"), id: id)
    }

    static func activeListName(_ id: String) -> String { "\(id).active.json" }

    /// Staged for `id`, so that a leftover is one `Bootstrapper` clears under that id's lock.
    private static func write(_ data: Data, _ url: URL, id: String) throws {
        try StagedPublish(url, what: url.lastPathComponent, besideOwnedBy: id).publish { try data.write(to: $0) }
    }
}
