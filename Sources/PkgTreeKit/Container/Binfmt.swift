import Foundation

/// QEMU user-mode emulation through binfmt_misc: a foreign architecture's binaries run only
/// when the kernel has a handler registered for them.
public enum Binfmt {
    static let directory = "/proc/sys/fs/binfmt_misc"

    /// Whether binaries of `arch` run on this machine (natively or through an enabled handler).
    public static func canRun(_ arch: Architecture, host: Architecture = .host) -> Bool {
        if arch == host { return true }
        guard let status = try? String(contentsOfFile: "\(directory)/qemu-\(arch.qemuName)", encoding: .utf8) else {
            return false
        }
        return status.hasPrefix("enabled")
    }

    /// Throws, saying how to fix it, when `arch` cannot run here.
    public static func require(_ arch: Architecture, for purpose: String) throws {
        if let problem = missingHandler(arch, for: purpose) { throw Problems([problem]) }
    }

    /// What is wrong, and how to fix it, when `arch` cannot run here; nil when it can.
    public static func missingHandler(_ arch: Architecture, for purpose: String) -> Problem? {
        guard !canRun(arch) else { return nil }
        return Problem(field: "--arch", "\(purpose) needs to run \(arch) binaries, and this machine has no QEMU handler for them (\(directory)/qemu-\(arch.qemuName) is missing or disabled)",
                       hint: "install and register it: apt-get install qemu-user-static binfmt-support && mount -t binfmt_misc binfmt_misc \(directory) 2>/dev/null; update-binfmts --enable qemu-\(arch.qemuName) — or set \"cross\": true for the package")
    }
}
