import Synchronization

/// Runs a stop command when the current task is cancelled while an operation runs, for what
/// signals cannot end (an engine's container). The command runs in a task of its own: one
/// started from the cancelled task would be torn down as soon as it started.
enum StopOnCancellation {
    static func around<T>(_ stop: ToolCommand?, _ operation: () async throws -> T) async throws -> T {
        guard let stop else { return try await operation() }
        let stopper = Stopper(stop)
        do {
            let value = try await withTaskCancellationHandler(operation: operation, onCancel: { stopper.start() })
            await stopper.finish()
            return value
        } catch {
            await stopper.finish()
            throw error
        }
    }

    private final class Stopper: Sendable {
        let command: ToolCommand
        let early = Mutex<Task<Void, Never>?>(nil)

        init(_ command: ToolCommand) {
            self.command = command
        }

        func start() {
            early.withLock { task in
                if task == nil { task = Task { [command] in _ = try? await ToolRunner.capture(command) } }
            }
        }

        /// After a cancelled operation, stops once more: the first stop may have come before the
        /// client created its container, and now that the client is gone nothing can create it.
        func finish() async {
            guard let task = early.withLock({ $0 }) else { return }
            await task.value
            await Task { [command] in _ = try? await ToolRunner.capture(command) }.value
        }
    }
}
