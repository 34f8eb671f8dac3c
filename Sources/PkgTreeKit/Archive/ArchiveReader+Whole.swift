import Foundation

extension ArchiveReader {
    /// Reads every entry of `archive` to its end, so that every compressed block is decoded
    /// and its check verified, and returns the data of the regular files named in `keeping`
    /// (paths as stored, `./` dropped), each at most `maxBytes`. Throws at the first entry or
    /// block that cannot be read, and for an `.xz` file that does not end with xz's footer.
    static func readWhole(_ archive: URL, keeping: Set<String>, maxBytes: Int = 16 << 20) throws -> [String: Data] {
        if archive.pathExtension == "xz" { try requireXZFooter(archive) }  // first: it says "cut short" plainly
        let reader = try ArchiveReader(archive)
        var kept: [String: Data] = [:]
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while let entry = try reader.next() {
            let path = entry.path.hasPrefix("./") ? String(entry.path.dropFirst(2)) : entry.path
            if entry.kind == .file && keeping.contains(path) {
                kept[path] = try reader.readData(maxBytes: maxBytes)
            } else {
                while try scratch.withUnsafeMutableBytes({ try reader.read(into: $0) }) > 0 {}
            }
        }
        return kept
    }

    /// libarchive stops at tar's end-of-archive blocks, so a file cut after them reads fine;
    /// an xz stream ends with a footer whose last two bytes are "YZ" (then only padding
    /// zeros in groups of four), which a cut file has lost.
    private static func requireXZFooter(_ archive: URL) throws {
        let handle = try FileHandle(forReadingFrom: archive)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        var tail = Array(try handle.readToEnd() ?? Data())
        while tail.count >= 4, tail.suffix(4).allSatisfy({ $0 == 0 }) { tail.removeLast(4) }
        guard tail.suffix(2) == [0x59, 0x5A] else {
            throw ArchiveError(.unsafeEntry, "the xz stream lacks its end (the file is truncated)", archive: archive.path)
        }
    }
}
