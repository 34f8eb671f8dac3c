/// The start of an ELF file, as far as telling what machine it was built for needs: the
/// magic, EI_CLASS, EI_DATA (byte order) and e_machine — the first 20 bytes.
struct ELFHeader: Sendable, Hashable {
    enum ByteOrder: Sendable, Hashable {
        case little, big
    }

    /// How many bytes `parse` needs: e_machine is the 16-bit value at offset 18.
    static let length = 20
    static let magic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]  // "\u{7f}ELF"

    var is64Bit: Bool
    var byteOrder: ByteOrder
    var machine: UInt16

    /// What the first bytes of a file say.
    enum Parsed: Sendable, Hashable {
        /// Not an ELF file (no magic): scripts, text, data.
        case notELF
        /// The ELF magic, followed by bytes no loader can use.
        case unreadable(String)
        case elf(ELFHeader)
    }

    /// Parses the first `length` bytes of a file (fewer when the file is shorter).
    static func parse(_ bytes: [UInt8]) -> Parsed {
        guard bytes.starts(with: magic) else { return .notELF }
        guard bytes.count >= length else {
            return .unreadable("truncated ELF header (\(bytes.count) of \(length) bytes)")
        }
        let is64Bit: Bool
        switch bytes[4] {  // EI_CLASS
        case 1: is64Bit = false
        case 2: is64Bit = true
        default: return .unreadable("invalid ELF class \(bytes[4])")
        }
        let byteOrder: ByteOrder
        switch bytes[5] {  // EI_DATA
        case 1: byteOrder = .little
        case 2: byteOrder = .big
        default: return .unreadable("invalid ELF byte order \(bytes[5])")
        }
        let low = UInt16(bytes[18]), high = UInt16(bytes[19])
        let machine = byteOrder == .little ? low | high << 8 : high | low << 8
        return .elf(ELFHeader(is64Bit: is64Bit, byteOrder: byteOrder, machine: machine))
    }
}

extension Architecture {
    /// The byte order of this architecture's binaries. The e_machine of ppc64le and aarch64
    /// is shared with their big-endian siblings, so the byte order is part of the check.
    var elfByteOrder: ELFHeader.ByteOrder {
        self == .s390x ? .big : .little
    }

    /// The architecture whose binaries carry `machine`, if pkgtree knows one.
    static func forELFMachine(_ machine: UInt16) -> Architecture? {
        allCases.first { $0.elfMachine == machine }
    }
}
