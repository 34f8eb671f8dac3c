import Dispatch
import Foundation

/// Maps over independent items on every core. Loading and hashing a large tree is file I/O
/// and SHA-256 per package, which spreads across cores with no shared state.
enum ParallelMap {
    static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        if items.count < 2 { return items.map(transform) }
        let slots = Slots<Result>(count: items.count)
        // Chunks keep the lock cheap: one acquisition per chunk, not per item.
        let chunkSize = max(1, items.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        let chunks = (items.count + chunkSize - 1) / chunkSize
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * chunkSize ..< min(items.count, (chunk + 1) * chunkSize)
            slots.store(range.map { transform(items[$0]) }, at: range.lowerBound)
        }
        return slots.values
    }
}

/// Results written by concurrent workers, each into its own slots.
private final class Slots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func store(_ values: [Value], at start: Int) {
        lock.withLock { storage.replaceSubrange(start ..< start + values.count, with: values) }
    }

    var values: [Value] { lock.withLock { storage.map { $0! } } }
}
