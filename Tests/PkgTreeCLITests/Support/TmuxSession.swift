import Foundation

/// A detached tmux session on a server of its own, for what `script(1)` cannot do: type keys
/// (^C) at a moment chosen from what the terminal shows.
struct TmuxSession {
    static let available = CLIRunner.which("tmux") != nil
    static let missingReason = "tmux is not installed"

    /// The server's socket, in a scratch directory of the test's.
    let socket: URL
    let name = "test"

    /// Runs `body` with a session running `command` (a shell command line) in `directory`,
    /// then ends the server, whatever the body did.
    static func with<T>(_ command: String, in directory: URL, socketDirectory: URL,
                        _ body: (TmuxSession) async throws -> T) async throws -> T {
        let session = TmuxSession(socket: socketDirectory.appendingPathComponent("tmux.socket"))
        let started = try await session.tmux(["new-session", "-d", "-s", session.name, "-x", "160", "-y", "50",
                                              "-c", directory.path, command])
        guard started.status == 0 else { throw TmuxError(text: started.stderr) }
        do {
            let value = try await body(session)
            await session.kill()
            return value
        } catch {
            await session.kill()
            throw error
        }
    }

    func send(_ keys: String...) async throws {
        _ = try await tmux(["send-keys", "-t", name] + keys)
    }

    /// What the terminal shows, its scrollback included.
    func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-S", "-200", "-t", name]).stdout
    }

    /// Waits until the screen shows `text`; false after `seconds`, or at once when the session
    /// has ended (its command exited, so nothing more will show). The deadline is generous: at
    /// the start of a full test run dozens of suites start containers at once on two cores, and
    /// a podman container has been seen to take over two minutes to start then.
    func waitFor(_ text: String, seconds: Double = 600) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let capture = try await tmux(["capture-pane", "-p", "-S", "-200", "-t", name])
            if capture.stdout.contains(text) { return true }
            if capture.status != 0 { return false }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    private func kill() async {
        _ = try? await tmux(["kill-server"])
        try? FileManager.default.removeItem(at: socket)
    }

    private func tmux(_ arguments: [String]) async throws -> CLIRunner.Outcome {
        try await CLIRunner.runTool(CLIRunner.which("tmux")!, ["-S", socket.path] + arguments)
    }

    struct TmuxError: Error {
        var text: String
    }
}
