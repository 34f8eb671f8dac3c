import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into task cancellation, so that an interrupted build stops the way
/// any cancelled one does: nothing new starts, running containers are removed, nothing half
/// built is stored, locks are released. A second signal exits at once; the cache stays
/// consistent even then, since an artifact only appears by rename and index row.
public enum SignalCancellation {
    public static let signals = [SIGINT, SIGTERM]

    /// Runs `body` in a task that the first SIGINT or SIGTERM cancels, and returns its value
    /// with the signal, if one came. A body that throws after a signal throws `Interrupted`:
    /// whatever went wrong then went wrong because of the interruption. `signals`: which
    /// signals cancel (`pkgtree shell` leaves SIGINT to the person's shell, and ends with the
    /// terminal's SIGHUP).
    public static func run<Value: Sendable>(on signals: [Int32] = signals,
                                            _ body: sending @escaping () async throws -> Value) async throws -> (value: Value, signal: Int32?) {
        let task = Task(operation: body)
        let received = FirstSignal()
        let queue = DispatchQueue(label: "pkgtree.signals")
        // Ignored first, so the default action (exit) cannot win the race with the handler. A
        // signal that was ignored already (nohup, a script's background job) stays ignored.
        let trapped = signals.filter { number in
            unsafeBitCast(signal(number, SIG_IGN), to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
        }
        let sources = trapped.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if received.record(number) {
                    task.cancel()
                } else {
                    FileHandle.standardError.write(Data("pkgtree: interrupted again; exiting without waiting for builds to stop\n".utf8))
                    _exit(128 + number)
                }
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for number in trapped { signal(number, SIG_DFL) }
        }
        do {
            let value = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            return (value, received.signal)
        } catch {
            if let signal = received.signal { throw Interrupted(signal: signal) }
            throw error
        }
    }

    /// The first signal received; set before the task is cancelled, so a cancelled body sees it.
    private final class FirstSignal: Sendable {
        private let first = Mutex<Int32?>(nil)

        var signal: Int32? { first.withLock { $0 } }

        /// Whether `number` is the first signal.
        func record(_ number: Int32) -> Bool {
            first.withLock { first in
                defer { first = first ?? number }
                return first == nil
            }
        }
    }
}

/// A command stopped by SIGINT or SIGTERM; it exits 128 + the signal's number, as a shell
/// reports a process the signal ended (130 for ^C, 143 for SIGTERM).
public struct Interrupted: Error, CustomStringConvertible {
    public var signal: Int32

    public init(signal: Int32) {
        self.signal = signal
    }

    public var exitStatus: Int32 { 128 + signal }

    public var description: String {
        "interrupted by \([SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)")"
    }
}
