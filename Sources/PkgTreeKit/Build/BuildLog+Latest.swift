import Foundation

extension BuildLog {
    /// The log `pkgtree log` shows: that of the package's current id when it has one, else the
    /// newest of its logs (a build of an earlier version, or one that failed before its id
    /// changed); nil when the package was never built on `arch`.
    public static func latest(_ layout: CacheLayout, arch: Architecture, name: String,
                              currentID: String?) -> (log: URL, isCurrent: Bool)? {
        let current = currentID.map { layout.log(arch: arch, name: name, id: $0) }
        if let current, FileManager.default.fileExists(atPath: current.path) { return (current, true) }
        let directory = layout.logDirectory(arch: arch, name: name)
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".log") }
            .map { directory.appendingPathComponent($0) }
        return logs.max { modified($0) < modified($1) }.map { ($0, $0 == current) }
    }

    private static func modified(_ url: URL) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
    }
}
