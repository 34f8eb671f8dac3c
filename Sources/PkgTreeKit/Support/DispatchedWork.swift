import Dispatch

/// Runs long synchronous work (xz compression, hashing large files) on a dispatch thread and
/// awaits it, so that it does not hold one of the cooperative pool's threads, of which a
/// two-core machine has two: the tasks that wait for locks, read progress or stop containers
/// keep running meanwhile.
enum DispatchedWork {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result(catching: work)) }
        }
    }
}
