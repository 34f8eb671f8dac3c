import Foundation
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// A server a test starts: run under `timeout` (which leads its own process group), so that
/// `stop()` ends the group at once, and so that a server outlives a killed test runner by
/// half an hour at most. Spawned by swift-subprocess, whose run, awaited in a task of its
/// own, reaps it; not Foundation's `Process` (see `ToolProcess`).
public final class BackgroundProcess: Sendable {
    /// The process id of `timeout`, the leader of the server's process group.
    private let leader: pid_t
    /// Ends once the server has exited and been reaped.
    private let exited: Task<Void, Never>
    private let exitedFlag = ExitFlag()

    /// Starts `arguments` (looked up on PATH), its stdout and stderr going to `log`.
    public init(_ arguments: [String], log: URL) async throws {
        try Data().write(to: log)
        let logFile = try FileDescriptor.open(FilePath(log.path), .writeOnly, options: [.truncate])
        let (started, starting) = AsyncThrowingStream.makeStream(of: pid_t.self)
        let flag = exitedFlag
        exited = Task {
            do {
                _ = try await Subprocess.run(
                    .path("/usr/bin/env"), arguments: Arguments(["timeout", "-s", "KILL", "1800"] + arguments),
                    input: .none, output: .fileDescriptor(logFile, closeAfterSpawningProcess: true), error: .combinedWithOutput
                ) { execution in
                    starting.yield(execution.processIdentifier.value)
                    starting.finish()
                }
            } catch {
                starting.finish(throwing: error)
            }
            flag.set()
        }
        var iterator = started.makeAsyncIterator()
        guard let leader = try await iterator.next() else { throw CancellationError() }
        self.leader = leader
    }

    public var isRunning: Bool { !exitedFlag.isSet }

    /// SIGKILL to the group, not a SIGTERM: a child started from the test runner's threads
    /// may inherit their blocked signals, SIGTERM included. Then waits until it is reaped.
    public func stop() async {
        kill()
        await exited.value
    }

    /// SIGKILL to the group without waiting (for a `deinit`); the spawning task reaps it.
    public func kill() {
        guard isRunning else { return }
        _ = Glibc.kill(-leader, SIGKILL)
        _ = Glibc.kill(leader, SIGKILL)
    }

    /// Waits (up to 10 s) until `parse` finds what it looks for in the log.
    public func wait<T>(for log: URL, _ parse: (String) -> T?) async -> T? {
        for _ in 0..<200 {
            if let text = try? String(contentsOf: log, encoding: .utf8), let found = parse(text) { return found }
            guard isRunning else { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The port a server bound to port 0 (the kernel's pick, so no two tests race for one)
    /// prints after `marker` once it accepts connections. Stops the server and throws with its
    /// log, naming it as `command`, when none shows within `wait`'s time.
    public func port(after marker: String, in log: URL, command: [String]) async throws -> Int {
        guard let port = await wait(for: log, { text in
            text.range(of: marker).flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
        }) else {
            await stop()
            throw ToolProcess.Failure(command: command, status: -1, output: (try? String(contentsOf: log, encoding: .utf8)) ?? "no log")
        }
        return port
    }
}

/// Set once, from the task that reaps the server; read from any thread.
private final class ExitFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
