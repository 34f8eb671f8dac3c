import Foundation

/// Where bootstraps and releases are written, with what to suggest when it cannot be used.
public struct OutputDirectory: Sendable {
    public var url: URL
    /// What to do instead, offered with every failure to write there (the CLI names its option).
    public var alternative: String

    public init(url: URL, alternative: String) {
        self.url = url
        self.alternative = alternative
    }

    /// Throws, before a build that ends writing there, when the directory cannot be one.
    public func requireWritable() throws {
        try UserFacingError.requireWritableDirectory(url, action: "checking the output directory", alternative: alternative)
    }

    /// Runs `body`, which writes into the directory; a system error it throws is said as such
    /// (an output path that is a file, a dangling link, no permission, no space).
    public func writing<Value>(_ what: String, _ body: () throws -> Value) throws -> Value {
        try UserFacingError.during("writing \(what)", at: url, alternative: alternative, body)
    }

    /// `writing` for asynchronous work.
    public func writing<Value>(_ what: String, _ body: () async throws -> Value) async throws -> Value {
        try await UserFacingError.during("writing \(what)", at: url, alternative: alternative, body)
    }
}
