import Foundation

/// Waits for something another process does. The deadline is a hang guard, never a speed
/// check: at the start of a full test run dozens of suites start builds and containers at once
/// on two cores, and a podman run has been seen to take over a minute to plan and start then.
enum Eventually {
    /// The first non-nil value of `probe`, polled every `interval`; nil after `seconds`.
    static func value<Value>(seconds: Double = 600, interval: Duration = .milliseconds(100),
                             _ probe: () throws -> Value?) async throws -> Value? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let value = try probe() { return value }
            if Date() > deadline { return nil }
            try await Task.sleep(for: interval)
        }
    }

    /// Whether `condition` became true within `seconds`.
    static func holds(seconds: Double = 600, interval: Duration = .milliseconds(100),
                      _ condition: () throws -> Bool) async throws -> Bool {
        try await value(seconds: seconds, interval: interval) { try condition() ? true : nil } ?? false
    }
}
