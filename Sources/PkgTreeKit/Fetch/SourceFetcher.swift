import Foundation

/// Makes a package's sources available to its build (docs/buildinfo.md): downloads and git mirrors
/// are cached in `cache/sources/`, verified before use, and laid out in a per-build staging
/// directory that the runner mounts writable at `/pkg/src/<name>`, as pkgpanda did: every
/// build gets fresh copies, so what one build writes there (`./configure && make` in the
/// source) is seen by no other, and the cache never changes.
///
/// - `url`: a directory holding a copy of the file under its URL's last path segment, so the
///   build sees `/pkg/src/<name>/<file name>` — where pkgpanda put it.
/// - `url_extract`: the extracted archive; when it holds exactly one top-level directory
///   (`hello-1.0/`), that directory's content, as pkgpanda's `--strip-components=1` gave.
/// - `git`: a checkout of the exact commit, with its `.git` (objects hard-linked from the
///   mirror: git never changes an object file, it writes new ones).
/// - `git_local`: a copy of the package-relative path.
public struct SourceFetcher: Sendable {
    public let layout: CacheLayout

    public init(layout: CacheLayout) {
        self.layout = layout
    }

    /// Makes every source of a package available under `staging` (one entry per source name),
    /// returning source name -> host path to mount at /pkg/src/<name>.
    ///
    /// Sources are fetched concurrently; the first failure is thrown as a `FetchError` and
    /// cancels the rest. An entry already in `staging` under a source's name is replaced.
    public func prepare(sources: [String: Source], packageDirectory: URL, staging: URL) async throws -> [String: URL] {
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return try await withThrowingTaskGroup(of: (String, URL).self) { group in
            for (name, source) in sources {
                group.addTask {
                    (name, try await prepare(name, source, packageDirectory: packageDirectory, staging: staging))
                }
            }
            var paths: [String: URL] = [:]
            for try await (name, path) in group { paths[name] = path }
            return paths
        }
    }

    private func prepare(_ name: String, _ source: Source, packageDirectory: URL, staging: URL) async throws -> URL {
        // The reader already refuses such names; a path outside `staging` must never follow.
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw FetchError(name, source, .invalidSource("'\(name)' is not usable as a directory name under /pkg/src"))
        }
        switch source {
        case .url(let url, let checksum, let extract):
            return try await prepareURL(name, source, url: url, checksum: checksum, extract: extract,
                                        packageDirectory: packageDirectory, destination: staging.child(name))
        case .git(let url, let ref, let refOrigin):
            return try await prepareGit(name, source, url: url, ref: ref, refOrigin: refOrigin,
                                        destination: staging.child(name))
        case .gitLocal(let relativePath):
            return try await prepareLocal(name, source, relativePath: relativePath, packageDirectory: packageDirectory,
                                          destination: staging.child(name))
        }
    }

    /// Removes whatever a previous attempt left at `destination`.
    func clear(_ destination: URL) throws {
        if FileStatus.of(destination.path) != nil {
            try FileManager.default.removeItem(at: destination)
        }
    }
}
