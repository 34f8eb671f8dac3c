import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into task cancellation, so that an interrupted build stops the way
/// any cancelled one does: nothing new starts, running containers are removed, nothing half
/// built is stored, locks are released. A second signal exits at once; the cache stays
/// consistent even then, since an artifact only appears by rename and index row.
///
/// Losing the reader of pkgtree's output (`pkgtree build --progress json | head -1`) stops a
/// build the same way, as SIGPIPE: the console reports a failed write through `outputClosed()`
/// (pkgtree ignores SIGPIPE itself: at its default action it killed pkgtree on the spot and a
/// podman or docker build kept running with nobody to remove it).
public enum SignalCancellation {
    public static let signals = [SIGINT, SIGTERM]

    /// The run in progress, for `outputClosed()`.
    private static let current = Mutex<Interruption?>(nil)

    /// Runs `body` in a task that the first SIGINT or SIGTERM cancels, and returns its value
    /// with the signal, if one came. A body that throws after a signal throws `Interrupted`:
    /// whatever went wrong then went wrong because of the interruption. `signals`: which
    /// signals cancel (`pkgtree shell` leaves SIGINT to the person's shell, and ends with the
    /// terminal's SIGHUP).
    public static func run<Value: Sendable>(on signals: [Int32] = signals,
                                            _ body: sending @escaping () async throws -> Value) async throws -> (value: Value, signal: Int32?) {
        let task = Task(operation: body)
        let interruption = Interruption(cancel: { task.cancel() })
        let queue = DispatchQueue(label: "pkgtree.signals")
        // Ignored first, so the default action (exit) cannot win the race with the handler. A
        // signal that was ignored already (nohup, a script's background job) stays ignored.
        let trapped = signals.filter { number in
            unsafeBitCast(signal(number, SIG_IGN), to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
        }
        current.withLock { $0 = interruption }
        let sources = trapped.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if !interruption.record(number) {
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
            current.withLock { $0 = nil }
        }
        do {
            let value = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            return (value, interruption.signal)
        } catch {
            if let signal = interruption.signal { throw Interrupted(signal: signal) }
            throw error
        }
    }

    /// Stops the run in progress as SIGPIPE would: whoever read pkgtree's output has gone. Only
    /// the first call counts; the progress lines written while builds stop fail as well. False
    /// when no run is in progress.
    public static func outputClosed() -> Bool {
        guard let interruption = current.withLock({ $0 }) else { return false }
        _ = interruption.record(SIGPIPE)
        return true
    }

    /// The first signal of a run, and how to cancel it.
    private final class Interruption: Sendable {
        private let first = Mutex<Int32?>(nil)
        private let cancel: @Sendable () -> Void

        init(cancel: @escaping @Sendable () -> Void) {
            self.cancel = cancel
        }

        var signal: Int32? { first.withLock { $0 } }

        /// Records `number` and cancels the run if it is the first signal; says whether it was.
        /// Set before the task is cancelled, so a cancelled body sees it.
        func record(_ number: Int32) -> Bool {
            let isFirst = first.withLock { first in
                defer { first = first ?? number }
                return first == nil
            }
            if isFirst { cancel() }
            return isFirst
        }
    }
}

/// A command stopped by SIGINT, SIGTERM or a closed output; it exits 128 + the signal's
/// number, as a shell reports a process the signal ended (130 for ^C, 143 for SIGTERM, 141 for
/// SIGPIPE).
public struct Interrupted: Error, CustomStringConvertible {
    public var signal: Int32

    public init(signal: Int32) {
        self.signal = signal
    }

    public var exitStatus: Int32 { 128 + signal }

    public var description: String {
        switch signal {
        case SIGINT: "interrupted by SIGINT"
        case SIGTERM: "interrupted by SIGTERM"
        case SIGHUP: "interrupted by SIGHUP"
        case SIGPIPE: "interrupted: the program reading pkgtree's output has exited (SIGPIPE)"
        default: "interrupted by signal \(signal)"
        }
    }
}
