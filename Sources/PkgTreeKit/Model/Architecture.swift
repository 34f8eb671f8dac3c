/// A CPU architecture pkgtree builds for. Accepts both naming families (`aarch64` and `arm64`)
/// and always prints the canonical one, so one tree serves every port without renaming.
public enum Architecture: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
    case x86_64, aarch64, armv7, ppc64le, s390x, riscv64

    /// Parses a canonical name or any alias (`amd64`, `arm64`, `armhf`, `arm`, `ppc64el`).
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let arch = Self.allCases.first(where: { $0.names.contains(lowered) }) else { return nil }
        self = arch
    }

    /// Every name this architecture is accepted under, canonical first. `lint` looks for these
    /// (and a few more spellings) in build scripts, so the two lists cannot drift apart.
    public var names: [String] {
        switch self {
        case .x86_64: ["x86_64", "amd64", "x86-64"]
        case .aarch64: ["aarch64", "arm64"]
        case .armv7: ["armv7", "armhf", "arm", "armv7l"]
        case .ppc64le: ["ppc64le", "ppc64el"]
        case .s390x: ["s390x"]
        case .riscv64: ["riscv64"]
        }
    }

    public var canonicalName: String { rawValue }

    /// Go's GOARCH, which is also Debian's name for most architectures.
    public var goArch: String {
        switch self {
        case .x86_64: "amd64"
        case .aarch64: "arm64"
        case .armv7: "arm"
        case .ppc64le: "ppc64le"
        case .s390x: "s390x"
        case .riscv64: "riscv64"
        }
    }

    /// Debian's architecture name, as `dpkg --print-architecture` and mmdebstrap use it.
    public var debianArch: String {
        switch self {
        case .armv7: "armhf"
        case .ppc64le: "ppc64el"
        default: goArch
        }
    }

    /// The GNU triplet of Debian's toolchain for this architecture (`aarch64-linux-gnu-gcc`).
    public var gnuTriplet: String {
        switch self {
        case .x86_64: "x86_64-linux-gnu"
        case .aarch64: "aarch64-linux-gnu"
        case .armv7: "arm-linux-gnueabihf"
        case .ppc64le: "powerpc64le-linux-gnu"
        case .s390x: "s390x-linux-gnu"
        case .riscv64: "riscv64-linux-gnu"
        }
    }

    /// The OCI platform string, as `podman --platform` and image indexes spell it.
    public var ociPlatform: String {
        self == .armv7 ? "linux/arm/v7" : "linux/\(goArch)"
    }

    /// The name of the QEMU user-mode emulator and of its binfmt_misc handler (`qemu-<name>`).
    public var qemuName: String {
        self == .armv7 ? "arm" : rawValue
    }

    /// The ELF `e_machine` value of binaries built for this architecture.
    public var elfMachine: UInt16 {
        switch self {
        case .x86_64: 62
        case .aarch64: 183
        case .armv7: 40
        case .ppc64le: 21
        case .s390x: 22
        case .riscv64: 243
        }
    }

    /// Every name accepted on the command line and in buildinfo files, for error messages.
    public static var acceptedNames: String {
        "x86_64 (amd64), aarch64 (arm64), armv7 (armhf, arm), ppc64le (ppc64el), s390x, riscv64"
    }

    public static func < (lhs: Architecture, rhs: Architecture) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
