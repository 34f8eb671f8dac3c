/// A program invocation as a value: what runs, with which arguments and extra environment.
/// Runners build these; tests check the argv without starting anything.
public struct ToolCommand: Sendable, Hashable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    /// Added to (or overriding) the inherited environment.
    public var environment: [String: String]

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Shell-quoted, for logs and "run this to reproduce" messages.
    public var description: String {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }
        return (assignments + [executable] + arguments.map(Self.quote)).joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
