import Foundation

/// The end of a log file, read from its end: a build log can grow to megabytes, and the live
/// progress reads the last line of every running build several times a second.
public enum LogTail {
    /// The last `count` lines (a final newline ends the last line, it does not start an empty
    /// one) that `keep` accepts, from at most the last `maxBytes` bytes; nil when the file
    /// cannot be read. Bytes that are not UTF-8 become U+FFFD instead of hiding the whole log.
    public static func lines(of url: URL, count: Int, maxBytes: Int = 256 << 10,
                             keeping keep: (Substring) -> Bool = { _ in true }) -> [String]? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() ?? Data() else { return nil }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if start > 0, !lines.isEmpty { lines.removeFirst() }  // cut mid-line
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.filter(keep).suffix(count).map(String.init)
    }

    /// The last line that has any text (and that `keep` accepts), for a one-line view of a
    /// running build.
    public static func lastLine(of url: URL, keeping keep: (Substring) -> Bool = { _ in true }) -> String? {
        lines(of: url, count: 8, maxBytes: 16 << 10, keeping: keep)?.last { !$0.allSatisfy(\.isWhitespace) }
    }
}
