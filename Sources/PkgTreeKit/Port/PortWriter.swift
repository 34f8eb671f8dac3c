import Foundation

/// Writes a `PortPlan` into this tree. Each file is written beside its place and renamed over
/// it, so an interrupted run leaves every file either as it was or as planned; a directory
/// copy is made beside its place and renamed into it the same way.
public enum PortWriter {
    public static func write(_ plan: PortPlan) throws {
        for edit in plan.edits {
            let destination = edit.destination
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let staging = destination.deletingLastPathComponent().child(".\(destination.lastPathComponent).pkgtree-port-\(getpid())")
            try? FileManager.default.removeItem(at: staging)
            switch edit {
            case .write(let url, let data, let permissions):
                try data.write(to: staging)
                let mode = permissions ?? FileStatus.of(url.path, followingSymlinks: true)?.permissions
                if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: staging.path) }
            case .copyFile(let source, _), .copyDirectory(let source, _):
                try FileManager.default.copyItem(at: source, to: staging)
            }
            if case .copyDirectory = edit, FileStatus.of(destination.path) != nil {
                try FileManager.default.removeItem(at: destination)
            }
            guard rename(staging.path, destination.path) == 0 else {
                let code = errno
                try? FileManager.default.removeItem(at: staging)
                throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO,
                                 userInfo: [NSLocalizedDescriptionKey: "\(destination.path) cannot be written: \(SystemError.describe(code))"])
            }
        }
    }
}
