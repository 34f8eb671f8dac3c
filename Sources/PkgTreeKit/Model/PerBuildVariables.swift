/// The variables pkgtree sets for every build, so a builder may not: pkgpanda's `PKG_…`
/// variables and pkgtree's, `NUM_CORES` and `SOURCE_DATE_EPOCH`. `BuildEnvironment` sets
/// them; the treeinfo reader refuses them in `default_builder.environment`.
enum PerBuildVariables {
    static func contains(_ name: String) -> Bool {
        name.hasPrefix("PKG_") || name == "NUM_CORES" || name == "SOURCE_DATE_EPOCH"
    }
}
