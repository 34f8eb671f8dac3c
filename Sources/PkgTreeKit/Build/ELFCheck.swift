import Foundation

/// The post-build check of docs/build.md: every ELF file in a package's output must be built for
/// the target architecture. A wrong one (a prebuilt x86_64 binary copied into an aarch64
/// package, a host compiler used by mistake) would otherwise surface only as "exec format
/// error" on the target machine.
///
/// Only regular files are read, and only their first 20 bytes; symlinks are not followed
/// (their targets are checked where they live, if inside the output). A file that starts
/// with the ELF magic but whose header is truncated or invalid is reported too: no loader
/// can run or link it, so it is a broken build output on every architecture.
public enum ELFCheck {
    /// An ELF file built for another machine than the target, or with an unreadable header.
    public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
        /// The file, relative to the output directory.
        public var path: String
        public var expected: Architecture
        /// What the header says, e.g. "x86_64 (e_machine 62)", "unknown (e_machine 8)", or
        /// for a broken header "unreadable: truncated ELF header (4 of 20 bytes)".
        public var found: String

        public init(path: String, expected: Architecture, found: String) {
            self.path = path
            self.expected = expected
            self.found = found
        }

        /// `bin/hello: built for x86_64 (e_machine 62), expected aarch64`.
        public var description: String { "\(path): \(problem)" }

        /// What is wrong with the file: `built for x86_64 (e_machine 62), expected aarch64`.
        public var problem: String {
            found.hasPrefix(ELFCheck.unreadablePrefix)
                ? "\(found), expected an \(expected) ELF file"
                : "built for \(found), expected \(expected)"
        }
    }

    /// A file of the output that could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): cannot check its ELF header: \(reason)" }
    }

    static let unreadablePrefix = "unreadable: "

    /// Every ELF file under `directory` not built for `arch`, sorted by path; empty when the
    /// output is clean.
    public static func mismatches(in directory: URL, for arch: Architecture) throws -> [Mismatch] {
        try mismatches(in: directory, entries: OutputEntry.scan(directory), for: arch)
    }

    /// The same, for the `entries` of `directory` already scanned.
    static func mismatches(in directory: URL, entries: [OutputEntry], for arch: Architecture) throws -> [Mismatch] {
        // Shorter than the magic: not ELF, and no need to open it.
        try entries.filter { $0.kind == .file && $0.size >= ELFHeader.magic.count }.compactMap { entry in
            let file = directory.appending(path: entry.path)
            switch ELFHeader.parse(try firstBytes(of: file)) {
            case .notELF:
                return nil
            case .unreadable(let reason):
                return Mismatch(path: entry.path, expected: arch, found: unreadablePrefix + reason)
            case .elf(let header):
                guard header.machine != arch.elfMachine || header.byteOrder != arch.elfByteOrder else { return nil }
                return Mismatch(path: entry.path, expected: arch, found: describe(header))
            }
        }
    }

    /// "x86_64 (e_machine 62)", "unknown (e_machine 8)", or for a known machine in the other
    /// byte order "ppc64 (big-endian, e_machine 21)".
    static func describe(_ header: ELFHeader) -> String {
        guard let arch = Architecture.forELFMachine(header.machine) else { return "unknown (e_machine \(header.machine))" }
        guard header.byteOrder == arch.elfByteOrder else {
            let name = switch arch {
            case .ppc64le: "ppc64"
            case .aarch64: "aarch64_be"
            default: arch.rawValue
            }
            return "\(name) (\(header.byteOrder == .big ? "big" : "little")-endian, e_machine \(header.machine))"
        }
        return "\(arch) (e_machine \(header.machine))"
    }

    private static func firstBytes(of file: URL) throws -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            return [UInt8](try handle.read(upToCount: ELFHeader.length) ?? Data())
        } catch {
            throw ReadError(path: file.path, reason: SystemError.reason(error))
        }
    }
}
