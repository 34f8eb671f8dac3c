/// One way of writing an architecture's name in a script, URL or image reference, and what a
/// build for another architecture should write instead.
struct ArchSpelling: Sendable, Hashable {
    /// Which of an architecture's names this is: it picks the build variable to suggest.
    enum Slot: Sendable, Hashable {
        /// `x86_64`, `aarch64` (and aliases such as `x86-64`): `$PKG_ARCH`.
        case canonical
        /// `amd64`, `arm64`, `arm`: `$PKG_GOARCH`.
        case goArch
        /// `ppc64el`, `armhf`: `$PKG_DEB_ARCH`.
        case debianArch
        /// Other spellings (`x64`, `i686`, `arm64v8`, `armv8`): no one variable says them.
        case other
    }

    let text: String
    let arch: Architecture
    let slot: Slot
    /// `arm` is a word in English too: only its lowercase form counts.
    let caseSensitive: Bool
    /// Another architecture the spelling is loosely used for: `arm` names armv7 (it is
    /// its GOARCH), but `build-arm.sh` in an aarch64 tree means aarch64, so it is not reported there.
    let looselyAlso: Architecture?

    /// How a build for `target` writes this name, and the variable that holds it.
    func replacement(for target: Architecture) -> (text: String, variable: String)? {
        switch slot {
        case .canonical: (target.rawValue, "$PKG_ARCH")
        case .goArch: (target.goArch, "$PKG_GOARCH")
        case .debianArch: (target.debianArch, "$PKG_DEB_ARCH")
        case .other: nil
        }
    }

    /// Every spelling of every architecture, longest first so `x86_64` wins over `x86`.
    static let all: [ArchSpelling] = Architecture.allCases.flatMap(spellings).sorted { $0.text.count > $1.text.count }

    private static func spellings(of arch: Architecture) -> [ArchSpelling] {
        var result: [ArchSpelling] = []
        func add(_ text: String, _ slot: Slot) {
            if !result.contains(where: { $0.text == text }) {
                result.append(ArchSpelling(text: text, arch: arch, slot: slot, caseSensitive: text == "arm",
                                           looselyAlso: text == "arm" ? .aarch64 : nil))
            }
        }
        add(arch.goArch, .goArch)
        add(arch.rawValue, .canonical)
        add(arch.debianArch, .debianArch)
        arch.names.forEach { add($0, .canonical) }
        otherNames[arch, default: []].forEach { add($0, .other) }
        return result
    }

    /// Names the architecture table does not accept as `--arch`, but that downloads, images and
    /// toolchains use: Node's and .NET's `x64`, 32-bit x86 (which breaks an aarch64 port just
    /// the same), Docker Hub's per-architecture namespaces (`arm64v8/debian`), ARM's ISA names.
    private static let otherNames: [Architecture: [String]] = [
        .x86_64: ["x64", "x86", "i386", "i486", "i586", "i686", "x86_32"],
        .aarch64: ["arm64v8", "armv8", "armv9", "aarch64_be"],
        .armv7: ["arm32v7", "arm32v6", "arm32v5", "armv6", "armv6l", "armv8l", "armel", "armv7a", "armv7hl"],
        .ppc64le: ["powerpc64le", "ppc64", "powerpc64"],
        .s390x: ["s390"],
        .riscv64: ["riscv", "rv64"],
    ]
}
