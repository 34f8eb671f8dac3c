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
    /// `<id>.active.json` (see `BootstrapPointers` for it and the `*.latest*` files).
    public func activeList(_ id: String) -> URL { root.child(BootstrapPointers.activeListName(id)) }

    /// Held while a bootstrap is written, so two processes never write the same one.
    func lockFile(_ id: String) -> URL { root.child(".\(id).lock") }
    /// Whether `name` is a half-written tarball of `id` (`StagedPublish` beside it), never
    /// taken for a bootstrap; or one of the `.<id>.<uuid>.part` an older pkgtree staged.
    func isStaging(_ name: String, of id: String) -> Bool {
        TemporaryName.id(of: name) == id || (name.hasPrefix(".\(id).") && name.hasSuffix(TemporaryName.suffix))
    }

    /// pkgpanda's `variant_prefix`: `""` for the default tree variant, else `"<variant>."`.
    public static func prefix(_ variant: String?) -> String {
        variant.map { "\($0)." } ?? ""
    }
}
