/// The container runners pkgtree can build with.
public enum RunnerKind: String, CaseIterable, Sendable, Codable {
    case docker, podman, bwrap

    /// DESIGN §5: the first that works, in this order.
    public static let detectionOrder: [RunnerKind] = [.docker, .podman, .bwrap]

    /// Whether it runs engine images (podman, docker) rather than a rootfs directory (bwrap).
    public var usesEngineImages: Bool { self != .bwrap }
}
