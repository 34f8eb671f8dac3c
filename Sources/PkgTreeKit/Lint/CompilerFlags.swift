/// GCC and Clang `-m…` flags that only one architecture's compiler accepts, or that pick a CPU
/// of one architecture. A build for another architecture fails on them, or (under a cross
/// compiler that ignores unknown flags) silently loses the tuning.
enum CompilerFlags {
    /// The architecture a flag belongs to, or nil for a flag every target takes (`-m64`,
    /// `-march=native`).
    static func arch(of flag: String) -> Architecture? {
        let flag = flag.hasPrefix("-mno-") ? "-m" + flag.dropFirst(5) : flag
        for option in ["-march=", "-mtune=", "-mcpu="] where flag.hasPrefix(option) {
            return arch(ofCPU: String(flag.dropFirst(option.count)).lowercased())
        }
        return flagPrefixes.first { entry in entry.prefixes.contains(where: flag.hasPrefix) }?.arch
    }

    /// Flags other than `-march`/`-mtune`/`-mcpu`, by prefix (after `-mno-` became `-m`).
    private static let flagPrefixes: [(arch: Architecture, prefixes: [String])] = [
        (.x86_64, ["-msse", "-mssse3", "-mavx", "-mfma", "-mbmi", "-mpclmul", "-mpopcnt", "-mlzcnt", "-mf16c",
                   "-mmovbe", "-maes", "-msha", "-mrdrnd", "-mrdseed", "-mxsave", "-mmmx", "-m3dnow", "-mcx16",
                   "-mx32", "-mfpmath=", "-mvzeroupper", "-mstackrealign", "-mgfni", "-mvaes", "-mvpclmulqdq"]),
        (.aarch64, ["-moutline-atomics", "-msve-vector-bits=", "-mbranch-protection=", "-mfix-cortex-a53",
                    "-mpc-relative-literal-loads", "-mgeneral-regs-only"]),
        (.armv7, ["-mfpu=", "-mfloat-abi=", "-mthumb", "-marm", "-mapcs", "-munaligned-access"]),
        (.ppc64le, ["-maltivec", "-mvsx", "-mabi=ieeelongdouble", "-mabi=ibmlongdouble", "-mpower8-vector",
                    "-mpower9-vector", "-mcrypto", "-mhtm"]),
        (.s390x, ["-mzarch", "-mzvector", "-mbackchain", "-mhard-dfp"]),
        (.riscv64, ["-mabi=lp64", "-mabi=ilp32", "-mcmodel=medany", "-mcmodel=medlow", "-mriscv-attribute"]),
    ]

    /// CPU and ISA names of `-march=`/`-mtune=`/`-mcpu=`, by prefix.
    private static let cpuPrefixes: [(arch: Architecture, prefixes: [String])] = [
        (.x86_64, ["x86-64", "i386", "i486", "i586", "i686", "pentium", "core2", "corei7", "nehalem", "westmere",
                   "sandybridge", "ivybridge", "haswell", "broadwell", "skylake", "cannonlake", "icelake",
                   "cascadelake", "cooperlake", "tigerlake", "alderlake", "raptorlake", "meteorlake",
                   "sapphirerapids", "graniterapids", "emeraldrapids", "sierraforest", "znver", "bdver", "btver",
                   "k8", "amdfam10", "opteron", "athlon", "atom", "bonnell", "silvermont", "goldmont", "tremont",
                   "knl", "knm"]),
        (.aarch64, ["armv8", "armv9", "neoverse", "cortex-x", "a64fx", "thunderx", "ampere", "apple-", "falkor",
                    "kryo", "tsv110", "saphira", "carmel", "octeontx", "qdf24xx", "xgene", "exynos-m"]),
        (.armv7, ["armv4", "armv5", "armv6", "armv7", "cortex-m", "cortex-r", "arm1136", "arm1176", "arm926",
                  "xscale", "iwmmxt"]),
        (.ppc64le, ["power", "pwr", "powerpc"]),
        (.riscv64, ["rv32", "rv64"]),
    ]

    private static func arch(ofCPU cpu: String) -> Architecture? {
        if let entry = cpuPrefixes.first(where: { $0.prefixes.contains(where: cpu.hasPrefix) }) { return entry.arch }
        if cpu.hasPrefix("cortex-a") {
            // Cortex-A5…A17 are 32-bit cores; A34 and up (A53, A72, A710…) are 64-bit.
            let number = Int(cpu.dropFirst("cortex-a".count).prefix(while: \.isNumber)) ?? 0
            return number >= 34 ? .aarch64 : .armv7
        }
        // IBM Z: -march=z13, -march=arch12.
        for prefix in ["z", "arch"] where cpu.hasPrefix(prefix) {
            if cpu.dropFirst(prefix.count).first?.isNumber == true { return .s390x }
        }
        return nil
    }

    /// Every `-m…` flag in `bytes` that belongs to one architecture.
    static func mentions(in bytes: [UInt8]) -> [ByteMatch] {
        var result: [ByteMatch] = []
        var index = 0
        while index + 2 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "m"),
                  index == 0 || startsFlag(after: bytes[index - 1]) else { continue }
            var end = index + 2
            while end < bytes.count, !endsFlag(bytes[end]) { end += 1 }
            let flag = String(decoding: bytes[index..<end], as: UTF8.self)
            if let arch = arch(of: flag) {
                result.append(ByteMatch(range: index..<end, arch: arch, kind: .flag))
                index = end - 1
            }
        }
        return result
    }

    private static func startsFlag(after byte: UInt8) -> Bool {
        [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "="),
         UInt8(ascii: "("), UInt8(ascii: ","), UInt8(ascii: "[")].contains(byte)
    }

    private static func endsFlag(_ byte: UInt8) -> Bool {
        [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ";"),
         UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(byte)
    }
}
