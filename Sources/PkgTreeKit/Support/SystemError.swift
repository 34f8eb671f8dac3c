import Foundation
import GRDB

/// Text for an `errno` value, through Foundation rather than C strings.
enum SystemError {
    static func describe(_ code: Int32) -> String {
        guard let posix = POSIXErrorCode(rawValue: code) else { return "error \(code)" }
        return "\(posix) (errno \(code))"
    }

    /// Whether `error` (from Foundation, the archive layer, SQLite or the cache) means the disk is full.
    static func isNoSpace(_ error: Error) -> Bool {
        if case CacheError.noSpace? = error as? CacheError { return true }
        if let posix = error as? POSIXError, posix.code == .ENOSPC { return true }
        if let archive = error as? ArchiveError { return archive.systemError == ENOSPC }
        if let database = error as? DatabaseError { return database.resultCode == .SQLITE_FULL }
        if let cocoa = error as? CocoaError, cocoa.code == .fileWriteOutOfSpace { return true }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(ENOSPC) { return true }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? Error, isNoSpace(underlying) { return true }
        return "\(error)".contains("No space left on device")
    }
}
