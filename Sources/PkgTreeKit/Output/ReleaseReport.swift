import Foundation

/// What `release create` and `release ls` print.
public enum ReleaseReport {
    public static func created(_ release: ReleaseWriter.Result) -> String {
        var lines = ["release \(release.index.releaseID) \(release.reused ? "exists (same bootstraps)" : "written"): \(DisplayPath.of(release.directory))"]
        for manifest in release.index.manifests {
            let platform = [manifest.platform.os, manifest.platform.architecture, manifest.platform.variant].compactMap { $0 }.joined(separator: "/")
            let variant = manifest.treeVariant.map { " (\($0))" } ?? ""
            lines.append("  \(platform)\(variant): \(manifest.bootstrap.path) \(ByteCount.text(manifest.bootstrap.size)), \(manifest.packages.count) packages")
        }
        switch (release.signed, release.signedNow && release.reused) {
        case (true, true): lines.append("signed now: \(ReleaseSignature.fileName) was missing")
        case (true, false): break
        case (false, _): lines.append("not signed: pass --sign-key FILE (pkgtree key generate) to sign \(ReleaseWriter.checksumsName)")
        }
        let directory = DisplayPath.of(release.directory)
        lines.append(release.signed ? "check it with: pkgtree release verify \(directory) --trusted-key KEY.pub"
                                    : "check it with: (cd \(directory) && sha256sum -c \(ReleaseWriter.checksumsName))")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func table(_ entries: [ReleaseList.Entry]) -> String {
        guard !entries.isEmpty else { return "no releases\n" }
        let formatter = ISO8601DateFormatter()
        return entries.map { entry in
            let platforms = entry.index.manifests.map { $0.arch + ($0.treeVariant.map { "(\($0))" } ?? "") }
            return "\(entry.index.releaseID.prefix(16))  \(formatter.string(from: entry.modified))  \(ByteCount.text(entry.size))  \(platforms.joined(separator: ", "))"
        }.joined(separator: "\n") + "\n"
    }
}
