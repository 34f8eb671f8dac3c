/// How a bootstrap fragment is made, as part of its key in the cache: the bootstrap layout
/// version, the xz level and the entries' mtime (`SOURCE_DATE_EPOCH`). A fragment made another
/// way holds other bytes, so a bootstrap never takes it. The thread count is not part of it:
/// liblzma's multi-threaded encoder writes the same stream with any number of threads.
enum FragmentForm {
    static func key(_ options: PackOptions) -> String {
        "v\(BootstrapID.layoutVersion)-xz\(options.compressionLevel)-t\(options.modificationTime)"
    }
}
