import Foundation
import Synchronization
import Subprocess
import SystemPackage

extension CLIRunner {
    struct WatchedOutcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The pkgtree process's id, which names its containers.
        var processID: Int32
        /// How long after the start `ready` first held; nil if the run ended before it did.
        var readyAfter: Duration?
        /// How long the run took.
        var took: Duration
    }

    /// Runs pkgtree with `--progress json` among `arguments` and sends it `signal` once
    /// `ready` holds for its events so far (see `runWatching`).
    static func runSignalling(_ arguments: [String], cache: URL, signal: Int32,
                              when ready: @escaping @Sendable ([[String: Any]]) -> Bool) async throws -> WatchedOutcome {
        try await runWatching(arguments, cache: cache, when: ready) { Signal(rawValue: signal) }
    }

    /// Runs pkgtree with `--progress json` among `arguments` and calls `action` once `ready`
    /// holds for its events so far, checked as events arrive and then every 0.2 s (the
    /// condition may be about more than stdout, like what a build log says by then). The
    /// signal `action` returns, if any, is sent to pkgtree.
    static func runWatching(_ arguments: [String], cache: URL, when ready: @escaping @Sendable ([[String: Any]]) -> Bool,
                            then action: @escaping @Sendable () -> Signal?) async throws -> WatchedOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let readyAt = Moment()
        let result = try await Subprocess.run(
            .path(FilePath(binary)), arguments: Arguments(arguments),
            environment: .inherit.updating(environment(cache: cache).mapValues { Optional($0) }),
            input: .none, output: .sequence, error: .string(limit: 16 << 20)
        ) { execution in
            let events = EventLines()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await line in execution.standardOutput.strings() { events.append(line) }
                    events.finish()
                }
                group.addTask {
                    // Stops looking once stdout ends: the build ended without ever being ready.
                    while !events.isFinished {
                        if ready(events.parsed) {
                            readyAt.record(clock.now)
                            if let signal = action() { try execution.send(signal: signal) }
                            return
                        }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                try await group.waitForAll()
            }
            return events.lines.joined(separator: "\n")
        }
        let status: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return WatchedOutcome(status: status, stdout: result.closureResult, stderr: result.standardError,
                              processID: result.processIdentifier.value,
                              readyAfter: readyAt.instant.map { $0 - start }, took: clock.now - start)
    }
}

extension CLIRunner {
    /// What a run sent SIGKILL printed, and whether the kill found it still running.
    struct KilledOutcome {
        var stdout: String
        var killedWhileRunning: Bool
        /// The killed pkgtree's id, which names its containers.
        var processID: Int32
    }

    /// Runs pkgtree and sends it SIGKILL after `delay` — to its process id alone, as a crash or
    /// the OOM killer would; what it started must go down by itself.
    static func runKilled(_ arguments: [String], cache: URL, after delay: Duration) async throws -> KilledOutcome {
        let result = try await Subprocess.run(
            .path(FilePath(binary)), arguments: Arguments(arguments),
            environment: .inherit.updating(environment(cache: cache).mapValues { Optional($0) }),
            input: .none, output: .sequence, error: .discarded
        ) { execution in
            let events = EventLines()
            enum First { case outputEnded, killSent }
            try await withThrowingTaskGroup(of: First.self) { group in
                group.addTask {
                    for try await line in execution.standardOutput.strings() { events.append(line) }
                    return .outputEnded
                }
                group.addTask {
                    try? await Task.sleep(for: delay)
                    if !Task.isCancelled { try? execution.send(signal: .kill) }
                    return .killSent
                }
                // A run that ends by itself needs no kill, and is not kept waiting for one.
                if try await group.next() == .outputEnded { group.cancelAll() }
                try await group.waitForAll()
            }
            return events.lines.joined(separator: "\n")
        }
        return KilledOutcome(stdout: result.closureResult, killedWhileRunning: result.terminationStatus == .signaled(SIGKILL),
                             processID: result.processIdentifier.value)
    }
}

/// Lines read so far, shared between the reader and the watcher.
private final class EventLines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    private var ended = false

    func append(_ line: String) { lock.withLock { storage.append(line) } }
    func finish() { lock.withLock { ended = true } }
    var isFinished: Bool { lock.withLock { ended } }
    var lines: [String] { lock.withLock { storage } }

    /// Every line as a JSON object (a line that is not one is skipped).
    var parsed: [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// When something first happened, shared between the tasks that watch a run.
private final class Moment: Sendable {
    private let value = Mutex<ContinuousClock.Instant?>(nil)

    var instant: ContinuousClock.Instant? { value.withLock { $0 } }

    func record(_ instant: ContinuousClock.Instant) {
        value.withLock { $0 = $0 ?? instant }
    }
}
