/// The container runners pkgtree can build with.
public enum RunnerKind: String, CaseIterable, Sendable, Codable {
    case docker, podman, bwrap

    /// The first that works, in this order (docs/build.md, Runners).
    public static let detectionOrder: [RunnerKind] = [.docker, .podman, .bwrap]

    /// Whether it runs engine images (podman, docker) rather than a rootfs directory (bwrap).
    public var usesEngineImages: Bool { self != .bwrap }
}
