import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to read, write, pack or extract an archive. It names the archive file and, when
/// one is concerned, the entry, so a user can find the culprit without rerunning anything.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a cache repairs, a fetch retries).
    public enum Kind: Sendable, Equatable {
        /// libarchive returned `status` (`ARCHIVE_FATAL`, `ARCHIVE_FAILED`, ...).
        case library(status: Int32)
        /// A system call failed with `errno`.
        case system(errno: Int32)
        /// An entry that could write outside the destination (absolute or `..` paths, links
        /// leaving the tree, paths through symlinks) or whose data contradicts its header
        /// (more or less data than declared, a bad checksum).
        case unsafeEntry
        /// An entry type pkgtree never packs or extracts: devices, FIFOs, sockets.
        case unsupportedEntry
        /// The archive is larger than the `ExtractLimits` allow.
        case limitExceeded
        /// Options that make no sense (compression level 12, zero threads).
        case invalidOptions
        /// A file changed size while it was being packed.
        case changedWhilePacking
    }

    public var kind: Kind
    /// What happened, in words, with libarchive's or the system's own text when there is one.
    public var message: String
    /// The archive (or, when packing, the source directory) this concerns.
    public var archive: String
    /// The entry path inside the archive, when one entry is at fault.
    public var entry: String?
    /// The system's error code behind the failure (`ENOSPC`, `EIO`, …), when there is one: a
    /// failed system call's, or the one libarchive recorded when it read or wrote the file.
    public var systemError: Int32?

    /// An error about `archive` (and `entry` in it).
    public init(_ kind: Kind, _ message: String, archive: String, entry: String? = nil, systemError: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.archive = archive
        self.entry = entry
        if case .system(let code) = kind { self.systemError = code } else { self.systemError = systemError }
    }

    /// `<archive>: entry '<entry>': <message>`.
    public var description: String {
        if let entry { return "\(archive): entry '\(entry)': \(message)" }
        return "\(archive): \(message)"
    }

    /// The error libarchive recorded on `handle`, with its text from `archive_error_string`
    /// and, when a system call failed underneath, the system's text: libarchive says only
    /// "Write error" when the disk is full.
    static func library(_ status: Int32, _ handle: OpaquePointer?, _ what: String,
                        archive: String, entry: String? = nil) -> ArchiveError {
        let detail = handle.flatMap { archive_error_string($0) }.map { String(cString: $0) }
        var message = detail.map { "\(what): \($0)" } ?? what
        let code = handle.map { archive_errno($0) } ?? 0
        // libarchive's own codes are -1 (misc), EILSEQ (file format) and EINVAL (misuse).
        let systemError = code > 0 && code != EILSEQ && code != EINVAL ? code : nil
        if let systemError { message += " (\(String(cString: strerror(systemError))))" }
        return ArchiveError(.library(status: status), message, archive: archive, entry: entry, systemError: systemError)
    }

    /// Turns a libarchive return code into a thrown error. Warnings pass: libarchive uses them
    /// for lossless oddities (e.g. a name it could not transcode and stored byte for byte).
    static func check(_ status: Int32, _ handle: OpaquePointer?, _ what: String,
                      archive: String, entry: String? = nil) throws {
        if status < ARCHIVE_WARN {
            throw library(status, handle, what, archive: archive, entry: entry)
        }
    }

    /// The error of a failed system call, read from `errno`.
    static func system(_ what: String, archive: String, entry: String? = nil) -> ArchiveError {
        let code = errno
        return ArchiveError(.system(errno: code), "\(what): \(String(cString: strerror(code)))",
                            archive: archive, entry: entry)
    }
}

extension ArchiveError: ExplainableError {
    var systemCode: Int32? { systemError }
    var failedPath: String? { archive }
    var plainReason: String? { message }
}
