import CArchive

/// Facts about the libarchive this binary links. Every libarchive call lives in this folder.
public enum LibArchive {
    /// The linked library's own version string, e.g. "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1".
    public static var versionDetails: String {
        String(cString: archive_version_details())
    }
}
