import Foundation

/// Where the bytes of a `url` / `url_extract` source come from, and the file name the build
/// sees. `file://` URLs are accepted as pkgpanda accepts them: absolute, or relative to the
/// package directory (`file://vendor/x.tar.gz`), which keeps trees movable.
enum SourceLocation: Equatable {
    case http(URL)
    case file(URL)

    /// Nil for anything but an http(s) URL with a host or a file:// URL with a path.
    init?(_ text: String, packageDirectory: URL) {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard !path.isEmpty else { return nil }
            self = .file(path.hasPrefix("/") ? URL(fileURLWithPath: path)
                : packageDirectory.appending(path: path).standardizedFileURL)
            return
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil,
              scheme == "http" || scheme == "https" else { return nil }
        self = .http(url)
    }

    /// The name the file keeps in `/pkg/src/<source>/`: the last segment of the URL's path as
    /// written in the buildinfo (not where a redirect led, nor a Content-Disposition header),
    /// so a build script can rely on it by reading the buildinfo alone. pkgpanda used the
    /// same basename. A URL without a usable last segment (`https://host/`) falls back to the
    /// source name.
    func fileName(fallback: String) -> String {
        let name = switch self {
        case .http(let url): url.lastPathComponent
        case .file(let url): url.lastPathComponent
        }
        guard !name.isEmpty, name != "/", name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            return fallback
        }
        return name
    }
}
