import Foundation

/// `url` and `url_extract` sources: the verified file from `SourceStore`, staged as a file in
/// a directory or extracted.
extension SourceFetcher {
    func prepareURL(_ name: String, _ source: Source, url: String, checksum: Checksum, extract: Bool,
                    packageDirectory: URL, destination: URL) async throws -> URL {
        guard let location = SourceLocation(url, packageDirectory: packageDirectory) else {
            throw FetchError(name, source, .invalidSource("not a usable URL"),
                             hint: "use an http:// or https:// URL, or file://<path> (relative to the package directory)")
        }
        let file = try await SourceStore(layout: layout).file(checksum, from: location, for: name, source)
        do {
            try clear(destination)
            if extract {
                try SourceExtraction.extract(file, to: destination)
            } else {
                try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                try linkOrCopy(file, to: destination.child(location.fileName(fallback: name)))
            }
        } catch let error as ArchiveError {
            throw FetchError(name, source, .extraction("cannot extract safely: \(error)"),
                             hint: "the archive is refused as a whole; nothing from it is used")
        } catch {
            throw FetchError(name, source, .io("cannot stage it in \(destination.path): \(SystemError.reason(error))"))
        }
        return destination
    }

    /// A hard link shares the cached, read-only file at no cost; staging on another file
    /// system than the cache gets a copy.
    private func linkOrCopy(_ file: URL, to target: URL) throws {
        do {
            try FileManager.default.linkItem(at: file, to: target)
        } catch {
            try FileManager.default.copyItem(at: file, to: target)
        }
    }
}
