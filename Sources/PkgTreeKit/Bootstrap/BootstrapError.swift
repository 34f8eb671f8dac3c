/// Why a bootstrap cannot be made from what is in the cache.
public enum BootstrapError: Error, CustomStringConvertible {
    /// Packages of the tree variant that are not built yet.
    case notBuilt(names: [String], arch: Architecture, variant: String?)

    public var description: String {
        switch self {
        case .notBuilt(let names, let arch, let variant):
            let variantOption = variant.map { " --variant \($0)" } ?? ""
            return "cannot make the \(arch) bootstrap: \(names.count) package\(names.count == 1 ? " is" : "s are") not built "
                + "(\(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", …" : "")); "
                + "run `pkgtree build --arch \(arch)\(variantOption)` first"
        }
    }
}
