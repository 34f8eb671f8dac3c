import Foundation

/// `url` and `url_extract` sources: the verified file from `SourceStore`, staged as a copy in
/// a directory (never a link: the build may write to it) or extracted.
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
                try await SourceCopy.copy(file, to: destination.child(location.fileName(fallback: name)))
            }
        } catch let error as ArchiveError {
            throw FetchError(name, source, .extraction("cannot extract safely: \(error)"),
                             hint: "the archive is refused as a whole; nothing from it is used")
        } catch {
            throw FetchError(name, source, .io("cannot stage it in \(destination.path): \(SystemError.reason(error))"))
        }
        return destination
    }
}
