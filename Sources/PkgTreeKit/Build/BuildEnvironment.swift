import Foundation

/// The environment of a build (docs/build.md), the same for every runner: the builder image's own
/// environment (a recipe's `environment`, a Dockerfile's `ENV`), pkgtree's defaults where the
/// image sets none, the install root's `bin` before the image's `PATH`, and pkgpanda's variables
/// over everything.
enum BuildEnvironment {
    static func variables(_ package: PlannedPackage, plan: BuildPlan, cores: Int, builder: [String: String] = [:]) -> [String: String] {
        let arch = plan.arch
        let root = plan.installRoot
        var variables = ["HOME": "/tmp", "LANG": "C.UTF-8"].merging(builder) { _, image in image }
        variables["PATH"] = "\(root)/bin:" + (builder["PATH"] ?? BuilderRecipe.defaultEnvironment["PATH"]!)
        variables.merge([
            "PKG_NAME": package.name,
            "PKG_ID": package.id,
            "PKG_VERSION": String(package.id.dropFirst(package.name.count + 2)),
            "PKG_VARIANT": package.variant ?? "<default>",  // pkgpanda's spelling of the default
            "PKG_PATH": "\(root)/packages/\(package.id)",
            "PKG_ARCH": arch.rawValue,
            "PKG_GOARCH": arch.goArch,
            "PKG_DEB_ARCH": arch.debianArch,
            "PKG_TRIPLET": arch.gnuTriplet,
            "PKG_PLATFORM": arch.ociPlatform,
            "NUM_CORES": String(cores),
            "SOURCE_DATE_EPOCH": String(SourceDate.epoch),
        ]) { _, build in build }
        if package.isCrossBuild { variables["PKG_BUILD_ARCH"] = package.buildArch.rawValue }
        return variables
    }
}
