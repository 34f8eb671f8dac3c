import Foundation

/// What `bootstrap` says about the bootstrap it made or found.
public enum BootstrapReport {
    public static func line(_ result: Bootstrapper.Result, plan: BuildPlan) -> String {
        let size = ByteCount.text(result.size)
        let state = result.reused ? "up to date" : "written"
        let variant = plan.treeVariant.map { " (\($0))" } ?? ""
        let fragments = result.fragmentsMade.map { " (\($0) fragment\($0 == 1 ? "" : "s") made)" } ?? ""
        return result.repairs.map { "repair: \($0); made it again\n" }.joined()
            + "bootstrap \(plan.arch)\(variant): \(result.id) \(state), \(result.packageIDs.count) packages\(fragments), \(size)\n"
            + "  \(DisplayPath.of(result.tarball))\n"
    }
}
