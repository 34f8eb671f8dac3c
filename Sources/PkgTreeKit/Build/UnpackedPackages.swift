import Foundation
import Synchronization

/// The dependencies this process has unpacked and read, by id. Deep in a large tree every
/// build needs most of the packages below it, so each is unpacked, walked and parsed once per
/// run, not once per build that needs it.
final class UnpackedPackages: Sendable {
    private let unpacker: DependencyUnpacker
    private let known = Mutex<[String: UnpackedPackage]>([:])

    init(layout: CacheLayout, index: CacheIndex) {
        unpacker = DependencyUnpacker(layout: layout, index: index)
    }

    /// `name`'s package `id`, unpacked from the cache when this process has not yet done so.
    func package(_ id: String, name: String) throws -> UnpackedPackage {
        if let package = known.withLock({ $0[id] }) { return package }
        let package = try UnpackedPackage(name: name, id: id, content: try unpacker.unpacked(id))
        known.withLock { $0[id] = package }
        return package
    }
}
