import Foundation

/// `git` and `git_local` sources.
extension SourceFetcher {
    func prepareGit(_ name: String, _ source: Source, url: String, ref: String, refOrigin: String?,
                    destination: URL) async throws -> URL {
        // The reader allows only full hashes; anything else could reach git as an option.
        guard !ref.isEmpty, ref.allSatisfy(\.isHexDigit) else {
            throw FetchError(name, source, .invalidSource("'ref' \(ref) is not a full commit hash"),
                             hint: "pin the exact commit (40 hex digits); put the branch name in 'ref_origin'")
        }
        let mirror = GitMirror(layout: layout, url: url)
        do {
            guard try await mirror.ensure(commit: ref) else {
                let origin = refOrigin.map { "'ref_origin' (\($0)) names the branch it came from: `git ls-remote \(url) \($0)` shows that branch's current commit" }
                throw FetchError(name, source, .refNotFound(ref: ref),
                                 hint: "check 'ref': it must be a full commit reachable from a branch or tag of the repository; "
                                     + (origin ?? "set 'ref_origin' to the branch it came from"))
            }
            try clear(destination)
            try await mirror.checkout(ref, into: destination)
        } catch let error as Git.Failure {
            throw FetchError(name, source, .git(error.description),
                             hint: "check that the repository URL is right and readable from this machine (mirror: \(mirror.path.path))")
        } catch let error as FetchError {
            throw error
        } catch {
            throw FetchError(name, source, .io(SystemError.reason(error)))
        }
        return destination
    }

    /// A `git_local` source: a copy of the package-relative path, so the build may change it
    /// while the package directory (whose content is in the id) stays as it is.
    func prepareLocal(_ name: String, _ source: Source, relativePath: String, packageDirectory: URL,
                      destination: URL) async throws -> URL {
        guard !relativePath.hasPrefix("/") else {
            throw FetchError(name, source, .invalidSource("'rel_path' is absolute"),
                             hint: "make it relative to the package directory, so the tree works wherever it is checked out")
        }
        let path = packageDirectory.appending(path: relativePath).standardizedFileURL
        guard FileStatus.of(path.path, followingSymlinks: true) != nil else {
            throw FetchError(name, source, .invalidSource("\(path.path) does not exist"),
                             hint: "'rel_path' is relative to the package directory \(packageDirectory.path)")
        }
        do {
            try clear(destination)
            try await SourceCopy.copy(path.resolvingSymlinksInPath(), to: destination)
        } catch {
            throw FetchError(name, source, .io("cannot stage it in \(destination.path): \(error)"))
        }
        return destination
    }
}
