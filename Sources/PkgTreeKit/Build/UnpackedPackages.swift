import Foundation
import Synchronization

/// The dependencies this process has unpacked and read, by id. Deep in a large tree every
/// build needs most of the packages below it, so each is unpacked, walked and parsed once per
/// run, not once per build that needs it.
///
/// From the first dependency on, it keeps every unpacked copy in the cache from being removed
/// until it is released (with the run): builds have them mounted, and what it has read stays
/// what is on disk (see `UnpackedCopies`).
final class UnpackedPackages: Sendable {
    private let layout: CacheLayout
    private let unpacker: DependencyUnpacker
    private let known = Mutex<[String: UnpackedPackage]>([:])
    private let inUse = Mutex<FileLock?>(nil)

    init(layout: CacheLayout, index: CacheIndex) {
        self.layout = layout
        unpacker = DependencyUnpacker(layout: layout, index: index)
    }

    /// Holds the copies' shared lock, taken once per run.
    private func holdCopies() async throws {
        guard inUse.withLock({ $0 == nil }) else { return }
        let lock = try await UnpackedCopies.holdInUse(layout)
        // Two builds may have taken it at once: one lock is kept, the other released.
        let spare = inUse.withLock { held -> FileLock? in
            if held == nil { held = lock; return nil }
            return lock
        }
        spare?.unlock()
    }

    /// Each of `wanted`, in order: those this process has read already under one lock (a deep
    /// build asks for a thousand), the others unpacked and read now.
    func packages(_ wanted: [(id: String, name: String)]) async throws -> [UnpackedPackage] {
        guard !wanted.isEmpty else { return [] }
        try await holdCopies()
        let found = known.withLock { known in wanted.map { known[$0.id] } }
        var packages: [UnpackedPackage] = []
        packages.reserveCapacity(wanted.count)
        for (package, (id, name)) in zip(found, wanted) {
            if let package {
                packages.append(package)
                continue
            }
            let unpacked = try UnpackedPackage(name: name, id: id, content: try await unpacker.unpacked(id))
            known.withLock { $0[id] = unpacked }
            packages.append(unpacked)
        }
        return packages
    }
}
