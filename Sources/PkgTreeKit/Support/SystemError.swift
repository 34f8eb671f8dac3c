import Foundation
import Subprocess
import SystemPackage

/// The one place that reads errors from the system and the libraries over it (errno,
/// Foundation, swift-subprocess, and through `ExplainableError` the archive layer, the cache
/// and SQLite) and says them in plain words. Nothing else interprets a library's error, so no
/// `Error Domain=…` or `SQLite error 14` reaches a user; `UserFacingError` adds the path at
/// fault and what to do.
enum SystemError {
    /// Plain words for an `errno` value: "permission denied", "no space left on the device".
    static func describe(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied"
        case ENOENT: "does not exist"
        case ENOTDIR: "a part of the path is not a directory"
        case EISDIR: "is a directory, not a file"
        case EEXIST: "already exists"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "the disk quota is exhausted"
        case EROFS: "the file system is read-only"
        case ELOOP: "too many levels of symbolic links (a loop)"
        case ENAMETOOLONG: "the name is too long"
        case EIO: "input/output error (the disk or file system may be failing)"
        case EMFILE, ENFILE: "too many open files"
        case ENOTEMPTY: "the directory is not empty"
        case EXDEV: "cannot be moved to another file system"
        case ETXTBSY: "is busy (a program is running from it)"
        default: String(cString: strerror(code)).lowercased() + " (errno \(code))"
        }
    }

    /// The `errno` behind `error`, whichever library threw it, when there is one.
    static func code(of error: Error) -> Int32? {
        switch error {
        case let posix as POSIXError: return posix.code.rawValue
        case let errno as Errno: return errno.rawValue
        case let subprocess as SubprocessError: return subprocess.underlyingError?.rawValue
        case let explainable as ExplainableError: return explainable.systemCode
        case let explained as UserFacingError: return explained.code
        default: break
        }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? Error, let code = code(of: underlying) { return code }
        return nsError.domain == NSCocoaErrorDomain ? cocoaCode(nsError.code) : nil
    }

    /// The file an error names, when it names one (Foundation records the path it failed on).
    static func path(of error: Error) -> String? {
        if let explainable = error as? ExplainableError, let path = explainable.failedPath { return path }
        let info = (error as NSError).userInfo
        if let path = info[NSFilePathErrorKey] as? String { return path }
        if let url = info[NSURLErrorKey] as? URL, url.isFileURL { return url.path }
        return nil
    }

    /// Whether `error` comes from the system or a library rather than from pkgtree's own checks.
    static func isSystemError(_ error: Error) -> Bool {
        switch error {
        case let explainable as ExplainableError: return explainable.comesFromSystem
        case is POSIXError, is Errno, is SubprocessError, is CocoaError: return true
        default:
            let domain = (error as NSError).domain
            return domain == NSPOSIXErrorDomain || domain == NSCocoaErrorDomain
        }
    }

    /// Plain words for any error, without the path (callers name it): the words for its
    /// errno, SQLite's own sentence, or the error's own text when it is pkgtree's.
    static func reason(_ error: Error) -> String {
        if let explained = error as? UserFacingError { return explained.problem }
        if let explainable = error as? ExplainableError, let reason = explainable.plainReason { return reason }
        if let subprocess = error as? SubprocessError { return subprocess.description }
        if let decoding = error as? DecodingError { return reason(decoding) }
        if let code = code(of: error) { return describe(code) }
        if isSystemError(error) { return (error as NSError).localizedDescription }
        return "\(error)"
    }

    /// A JSON document's shape, said without the decoder's dump (whose context holds an NSError).
    private static func reason(_ error: DecodingError) -> String {
        let field = { (path: [CodingKey]) in path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context): return "lacks the field '\(field(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context): return "field '\(field(context.codingPath))' is not \(type)"
        case .valueNotFound(let type, let context): return "field '\(field(context.codingPath))' is null, not \(type)"
        case .dataCorrupted(let context): return "is not valid JSON (\(context.debugDescription))"
        @unknown default: return "cannot be decoded"
        }
    }

    /// Whether `error` (from Foundation, the archive layer, SQLite or the cache) means the disk is full.
    static func isNoSpace(_ error: Error) -> Bool {
        if let code = code(of: error), code == ENOSPC || code == EDQUOT { return true }
        if let cocoa = error as? CocoaError, cocoa.code == .fileWriteOutOfSpace { return true }
        return "\(error)".contains("No space left on device")
    }

    /// Foundation's file error codes, for errors that carry no underlying POSIX error.
    private static func cocoaCode(_ code: Int) -> Int32? {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: ENOENT
        case .fileWriteFileExists: EEXIST
        case .fileReadNoPermission, .fileWriteNoPermission: EACCES
        case .fileWriteOutOfSpace: ENOSPC
        case .fileWriteVolumeReadOnly: EROFS
        case .fileReadTooLarge: EFBIG
        default: nil
        }
    }
}
