/// A connection that must be closed, asynchronously, whatever happens while it is used
/// (async-http-client's client traps when dropped open).
public protocol AsyncClosable: Sendable {
    func close() async
}

/// Runs `body` with `resource`, then closes it however `body` ends.
public func closing<Resource: AsyncClosable, T>(_ resource: Resource, _ body: (Resource) async throws -> T) async throws -> T {
    do {
        let result = try await body(resource)
        await resource.close()
        return result
    } catch {
        await resource.close()
        throw error
    }
}
