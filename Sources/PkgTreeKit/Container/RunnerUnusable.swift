/// A runner that cannot build here, for a reason of its own: an engine that cannot load an
/// image or run the platform, an image it does not have, bwrap asked for a registry image.
/// Auto-detection skips such a runner and tries the next; what every runner would fail at
/// alike (mmdebstrap, a missing QEMU handler, the cache) is thrown as it is, never taken as
/// one runner's fault.
public struct RunnerUnusable: Error, Sendable, CustomStringConvertible {
    public var problem: Problem

    public init(_ problem: Problem) {
        self.problem = problem
    }

    public var description: String { problem.description }
}
