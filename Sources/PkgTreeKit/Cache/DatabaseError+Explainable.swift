import Foundation
import GRDB

/// SQLite's errors, said as `SystemError` and `UserFacingError` say every other: GRDB is the
/// cache's library, so what its errors mean is written here, not in Support.
extension DatabaseError: ExplainableError {
    var systemCode: Int32? {
        switch resultCode.primaryResultCode {
        case .SQLITE_FULL: ENOSPC
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH: EACCES
        case .SQLITE_IOERR: EIO
        default: nil
        }
    }

    var plainReason: String? { message ?? SystemError.describe(systemCode ?? EIO) }

    var comesFromSystem: Bool { true }

    func userFacing(action: String, path: URL?) -> UserFacingError? {
        UserFacingError(self, action: action, path: path)
    }
}

extension UserFacingError {
    /// SQLite's errors name no file; `path` is the database's.
    init(_ error: DatabaseError, action: String, path: URL?) {
        let sentence = error.message ?? "SQLite result code \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self.init(action, path: path, "is damaged (\(sentence))",
                      remedy: "`pkgtree cache repair` moves it aside and rebuilds it from the artifacts")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(action, path: path, "another pkgtree process kept it locked for too long (\(sentence))",
                      remedy: "wait for the other process to finish, then run again")
        default:
            // SQLite says "unable to open" whatever the reason: look for a component in the way,
            // then for permissions on the file and its directory (where the -wal file goes).
            let code = SystemError.code(of: error)
            if let path, let diagnosis = PathDiagnosis.of(path.path, code: code)
                ?? PathDiagnosis.permission(path.path) ?? PathDiagnosis.permission(path.deletingLastPathComponent().path) {
                self.init(action, diagnosis)
            } else {
                self.init(action, path: path, sentence)
            }
        }
    }
}
