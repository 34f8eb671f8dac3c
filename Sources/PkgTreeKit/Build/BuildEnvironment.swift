import Foundation

/// The environment of a build (DESIGN §5), the same for every runner.
enum BuildEnvironment {
    static func variables(_ package: PlannedPackage, plan: BuildPlan, cores: Int) -> [String: String] {
        let arch = plan.arch
        let root = plan.installRoot
        var variables = [
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
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "PATH": "\(root)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        if package.isCrossBuild { variables["PKG_BUILD_ARCH"] = package.buildArch.rawValue }
        return variables
    }
}
