import Foundation

/// `etc/dcos-service-configuration.json`, which pkgpanda's activation writes for DC/OS's
/// runtime: `{"sysctl": {<service>: {<variable>: <value>}}}` from the `sysctl` field of every
/// package's `pkginfo.json`. A service must be a `<service>.service` unit of the package
/// that names it, and two packages may not set one service's variables differently.
enum ServiceConfiguration {
    static let path = "etc/dcos-service-configuration.json"

    /// `packages`: (id, its `pkginfo.json`, the paths of its files, listed only for a package
    /// that sets `sysctl`).
    static func document(_ packages: [(id: String, pkgInfo: JSONValue?, paths: () -> [String])]) throws(Problems) -> JSONValue {
        var sysctl: [String: JSONValue] = [:]
        var setBy: [String: String] = [:]
        var problems = ProblemCollector()
        for (id, pkgInfo, paths) in packages.sorted(by: { $0.id < $1.id }) {
            guard case .object(let services)? = pkgInfo?.objectValue?["sysctl"] else { continue }
            let units = Set(paths().compactMap { path -> String? in
                let name = path.split(separator: "/").last.map(String.init) ?? path
                return name.hasSuffix(".service") ? String(name.dropLast(".service".count)) : nil
            })
            for (service, variables) in services.sorted(by: { $0.key < $1.key }) {
                if !units.contains(service) {
                    problems.add(Problem(package: id, field: "sysctl.\(service)", "names no unit of the package (no \(service).service)",
                                         hint: "name a systemd service the package installs"))
                } else if let first = setBy[service], sysctl[service] != variables {
                    problems.add(Problem(package: id, field: "sysctl.\(service)", "conflicts with the values \(first) sets",
                                         hint: "set the service's sysctl values in one package"))
                } else {
                    sysctl[service] = variables
                    setBy[service] = id
                }
            }
        }
        try problems.throwIfAny()
        return .object(["sysctl": .object(sysctl)])
    }
}
