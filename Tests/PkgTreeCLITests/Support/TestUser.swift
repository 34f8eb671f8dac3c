import Foundation
import Glibc

/// An ordinary user for tests whose point is lost on root (permissions do not hold it back)
/// or that check what users, who do not build as root, see: created with `useradd` when
/// missing, pkgtree run as it through `runuser`, from a copy of the binary it can execute.
enum TestUser {
    static let name = "pkgtree-tester"

    static var canSwitch: Bool {
        getuid() == 0 && CLIRunner.which("runuser") != nil && CLIRunner.which("useradd") != nil
    }

    static let cannotSwitch = "running pkgtree as an ordinary user needs root (to create one) and runuser"

    /// The user exists and has a copy of pkgtree it can run (made once per test process).
    private static let prepared = Task { () throws -> String in
        if try await CLIRunner.runTool("/usr/bin/id", ["-u", name]).status != 0 {
            let add = try await CLIRunner.runTool(CLIRunner.which("useradd")!, [
                "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name])
            // Another test process may have made it meanwhile.
            let exists = try await CLIRunner.runTool("/usr/bin/id", ["-u", name]).status == 0
            guard add.status == 0 || exists else {
                throw Failure(message: "useradd \(name) failed: \(add.stderr)")
            }
        }
        // The build directory may sit under a home the user cannot enter.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cli-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("pkgtree")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CLIRunner.binary), to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        return copy.path
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs pkgtree as the user in `directory`, which the user must be able to enter.
    static func run(_ arguments: [String], in directory: URL) async throws -> CLIRunner.Outcome {
        let binary = try await prepared.value
        return try await CLIRunner.runTool(CLIRunner.which("runuser")!, ["-u", name, "--", binary] + arguments, in: directory)
    }

    /// Gives the user everything under `directory`; symbolic links are changed themselves,
    /// never followed (a cache's `images` leads to the shared builder images).
    static func own(_ directory: URL) async throws {
        _ = try await prepared.value
        let chown = try await CLIRunner.runTool("/bin/chown", ["-R", "-P", "-h", "\(name):", directory.path])
        guard chown.status == 0 else { throw Failure(message: "chown: \(chown.stderr)") }
    }
}
