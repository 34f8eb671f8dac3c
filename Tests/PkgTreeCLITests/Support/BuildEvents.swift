import Foundation
import Testing

/// The JSON lines of `pkgtree build --progress json`.
enum BuildEvents {
    /// Every line of `stdout` as an object; a line that is not one fails the test.
    static func parse(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// The packages of the events of one kind (`started`, `finished`, `cached`, …), in order.
    static func packages(_ kind: String, in events: [[String: Any]]) -> [String] {
        events.filter { $0["event"] as? String == kind }.compactMap { $0["package"] as? String }
    }

    /// Each of `packages` has started and its build log holds `text` (what its script printed).
    static func logsSay(_ text: String, for packages: [String], in events: [[String: Any]]) -> Bool {
        packages.allSatisfy { package in
            events.contains { event in
                event["event"] as? String == "started" && event["package"] as? String == package
                    && (event["log"] as? String).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.contains(text) == true
            }
        }
    }
}

/// A flag one task sets and another reads (a watcher's closure and the test).
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Processes of this machine, found by what their command line holds (never by a program
/// name: other people run pkgtree and bwrap here too).
enum ProcessTable {
    /// Process ids whose command line contains `text`.
    static func processes(containing text: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            guard entry.allSatisfy(\.isNumber), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: line, as: UTF8.self).contains(text)
        }
    }
}
