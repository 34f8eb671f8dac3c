import Foundation
import Glibc

/// Downloaded sources in `cache/sources/<algorithm>/<hex>`, keyed by the checksum the
/// buildinfo pins. A file is written to `cache/tmp/`, digested while it arrives, compared
/// with the checksum, and only then published (`StagedPublish`) — the same rule as
/// `ArtifactStore` — so a file in `sources/` always has its checksum and is never downloaded
/// twice, and a killed or wrong download leaves nothing that counts. A lock per checksum
/// makes concurrent builds (and processes) that need the same file download it once.
struct SourceStore {
    let layout: CacheLayout

    func path(of checksum: Checksum) -> URL {
        layout.sources.child("\(checksum.algorithm)/\(checksum.hex)")
    }

    /// The cached file with `checksum`, downloaded from `location` first when missing.
    func file(_ checksum: Checksum, from location: SourceLocation, for name: String, _ source: Source) async throws -> URL {
        let destination = path(of: checksum)
        if isStored(destination) { return destination }
        let lockID = "source-\(checksum.algorithm)-\(checksum.hex)"
        let lock = try await FileLock.acquire(layout.lockFile(for: lockID))
        defer { lock.unlock() }
        if isStored(destination) { return destination }  // another build fetched it meanwhile
        func failure(_ error: Error) -> FetchError {
            error as? FetchError ?? FetchError(name, source, .io(SystemError.reason(error)), hint: SystemError.isNoSpace(error)
                ? "free space in \(layout.root.path) and run again" : nil)
        }
        do {
            try await StagedPublish(destination, what: "download", stagingIn: layout.tmp, owner: lockID).publish { staged in
                let download = try StagedDownload(at: staged, digesting: checksum)
                try await transfer(from: location, into: download, for: name, source)
                let actual = try download.finish()
                guard actual == checksum else {
                    throw FetchError(name, source, .checksumMismatch(expected: checksum.display, actual: actual.display),
                                     hint: "the file downloaded has \(download.byteCount) bytes; if that is the file you want, set "
                                         + "'\(checksum.algorithm)' to \(actual.hex), otherwise fix 'url'")
                }
                // Read-only: builds see it through hard links.
                guard chmod(staged.path, 0o444) == 0 else {
                    throw UserFacingError("making the download read-only", path: staged, code: errno)
                }
            }
        } catch {
            throw failure(error)
        }
        return destination
    }

    private func isStored(_ url: URL) -> Bool {
        FileStatus.of(url.path)?.kind == .regular
    }

    private func transfer(from location: SourceLocation, into download: StagedDownload,
                          for name: String, _ source: Source) async throws {
        switch location {
        case .http(let url):
            do {
                try await HTTPDownload.fetch(url, into: download)
            } catch HTTPDownload.Failure.status(let status) {
                throw FetchError(name, source, .httpStatus(status), hint: "check the URL; the file may have moved")
            } catch HTTPDownload.Failure.unreachable(let detail) {
                throw FetchError(name, source, .unreachable(detail), hint: "check the URL and the network (or proxy); once downloaded, the file is cached")
            } catch HTTPDownload.Failure.write(let error) {
                throw error
            }
        case .file(let url):
            guard let input = try? FileHandle(forReadingFrom: url) else {
                throw FetchError(name, source, .unreachable("cannot read \(url.path)"),
                                 hint: "relative file:// URLs are relative to the package directory")
            }
            defer { try? input.close() }
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
                try download.write(block)
            }
        }
    }
}
