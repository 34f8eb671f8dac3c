import Glibc

extension MountPlan {
    /// A step that failed: which, on what, and the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Carries out every step in order; stops at the first that fails.
    public func run() throws(Failure) {
        for step in steps {
            try Self.run(step)
        }
    }

    private static func run(_ step: Step) throws(Failure) {
        switch step {
        case .directory(let path):
            try makeDirectory(path)
        case .changeDirectory(let path):
            try check(chdir(path), "cd \(path)")
        case .symlink(let path, let target):
            try check(Glibc.symlink(target, path), "symlink \(path) -> \(target)")
        case .file(let path, let contents):
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            try check(descriptor, "create \(path)")
            defer { close(descriptor) }
            var written = 0
            while written < contents.count {
                let count = Glibc.write(descriptor, Array(contents[written...]), contents.count - written)
                try check(count == -1 ? -1 : 0, "write \(path)")
                written += count
            }
        case .detach(let path):
            try check(umount2(path, Int32(MNT_DETACH)), "umount \(path)")
        case .mount(let source, let target, let type, let flags, let data):
            let bits = flags.reduce(UInt(0)) { $0 | $1.bits }
            try check(Glibc.mount(source, target, type, bits, Array(data.utf8CString)), "mount \(type) \(source) on \(target) (\(flags.map(\.rawValue).joined(separator: ",")))")
        }
    }

    /// `mkdir -p`: the parents first, where missing.
    private static func makeDirectory(_ path: String) throws(Failure) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, let slash = path.lastIndex(of: "/"), slash != path.startIndex else {
            try check(-1, "mkdir \(path)")
            return
        }
        try makeDirectory(String(path[..<slash]))
        try check(mkdir(path, 0o755) == 0 || errno == EEXIST ? 0 : -1, "mkdir \(path)")
    }

    private static func check(_ result: Int32, _ what: String) throws(Failure) {
        guard result == -1 else { return }
        throw Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

extension MountPlan.Flag {
    var bits: UInt {
        switch self {
        case .bind: UInt(MS_BIND)
        case .rec: UInt(MS_REC)
        case .ro: UInt(MS_RDONLY)
        case .nosuid: UInt(MS_NOSUID)
        case .nodev: UInt(MS_NODEV)
        case .remount: UInt(MS_REMOUNT)
        }
    }
}
