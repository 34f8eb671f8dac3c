import Foundation
import Synchronization
import Testing
import RegistryTestSupport
@testable import PkgTreeKit

@Suite struct FileLockTests {
    /// What the waiters saw, shared between their tasks.
    final class Tally: Sendable {
        let holders = Mutex(0), most = Mutex(0), done = Mutex(0), taken = Mutex(false)
    }

    private func lockFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-lock-\(UUID().uuidString)/some.lock")
    }

    /// Far more waiters than the pool has threads, each holding the lock across a suspension:
    /// were a waiter to block its thread in `flock`, the holder could not resume and release.
    /// The limit only ends a hang: at the start of a full run on two cores, every suite's tasks
    /// share the pool, and this took 137 s in one CI-like run while serialising correctly.
    @Test(.timeLimit(.minutes(10)))
    func waitersSerialiseWithoutBlockingThePool() async throws {
        let url = lockFile()
        let waiters = ProcessInfo.processInfo.activeProcessorCount * 8
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    let lock = try await FileLock.acquire(url)
                    let now = tally.holders.withLock { $0 += 1; return $0 }
                    tally.most.withLock { $0 = max($0, now) }
                    try await Task.sleep(for: .milliseconds(2))
                    tally.holders.withLock { $0 -= 1 }
                    lock.unlock()
                    tally.done.withLock { $0 += 1 }
                }
            }
            try await group.waitForAll()
        }
        #expect(tally.done.withLock { $0 } == waiters)
        #expect(tally.most.withLock { $0 } == 1, "never two holders at once")
    }

    @Test(.timeLimit(.minutes(10)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "needs flock(1) (util-linux)"))
    func aLockHeldByAnotherProcessIsWaitedForThenTaken() async throws {
        let url = lockFile()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let held = url.deletingLastPathComponent().appendingPathComponent("held")
        let release = url.deletingLastPathComponent().appendingPathComponent("release")
        let holder = try await BackgroundProcess(["flock", "--exclusive", url.path, "sh", "-c",
                                                  "touch \"$1\"; while [ ! -e \"$2\" ]; do sleep 0.02; done", "sh", held.path, release.path],
                                                 log: url.deletingLastPathComponent().appendingPathComponent("holder.log"))
        defer { holder.kill() }
        while FileStatus.of(held.path) == nil {
            #expect(holder.isRunning, "flock exited before it held the lock")
            guard holder.isRunning else { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try FileLock.tryAcquire(url) == nil, "another process holds it")

        let tally = Tally()
        let waiter = Task {
            let lock = try await FileLock.acquire(url)
            tally.taken.withLock { $0 = true }
            lock.unlock()
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!tally.taken.withLock { $0 }, "acquire waits while the other process holds the lock")
        try Data().write(to: release)
        try await waiter.value
        #expect(tally.taken.withLock { $0 }, "taken once the other process let go")
    }

    @Test func aCancelledWaiterStopsWaiting() async throws {
        let url = lockFile()
        let held = try await FileLock.acquire(url)
        let waiter = Task { _ = try await FileLock.acquire(url) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        held.unlock()
    }
}
