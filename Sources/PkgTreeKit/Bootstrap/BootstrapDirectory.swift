import Foundation

/// Where the bootstraps of one architecture are written: `<output>/bootstrap/<arch>/`, with
/// pkgpanda's file names (its `cache/bootstrap/` and `cache/complete/` in one place).
public struct BootstrapDirectory: Sendable {
    public let root: URL

    public init(output: URL, arch: Architecture) {
        root = output.standardizedFileURL.child("bootstrap/\(arch.rawValue)")
    }

    /// `<id>.bootstrap.tar.xz`
    public func tarball(_ id: String) -> URL { root.child("\(id).bootstrap.tar.xz") }
    /// `<id>.active.json`: the ids of the packages in the tarball.
    public func activeList(_ id: String) -> URL { root.child("\(id).active.json") }
    /// `[<variant>.]bootstrap.latest`: the id of the variant's newest bootstrap.
    public func latest(variant: String?) -> URL { root.child("\(Self.prefix(variant))bootstrap.latest") }
    /// `[<variant>.]complete.latest.json`: that bootstrap id and every package id of the variant.
    public func completeLatest(variant: String?) -> URL { root.child("\(Self.prefix(variant))complete.latest.json") }

    /// Held while a bootstrap is written, so two processes never write the same one.
    func lockFile(_ id: String) -> URL { root.child(".\(id).lock") }
    /// A name for the half-written tarball, never taken for a bootstrap.
    func stagingFile(_ id: String) -> URL { root.child(".\(id).\(UUID().uuidString).part") }
    func isStaging(_ name: String, of id: String) -> Bool { name.hasPrefix(".\(id).") && name.hasSuffix(".part") }

    /// pkgpanda's `variant_prefix`: `""` for the default tree variant, else `"<variant>."`.
    public static func prefix(_ variant: String?) -> String {
        variant.map { "\($0)." } ?? ""
    }
}
