import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the bad-input corpus makes at test time rather than keeping in git: names that are not
/// UTF-8, FIFOs, sparse multi-gigabyte files, symbolic links out of the tree, hostile
/// archives. Keyed by case name; each case's expect.json says in `generated` what its
/// generator adds. `outside/` beside `packages/` stands for the host outside the tree: the
/// test's before/after snapshot covers it, so anything written there is caught.
enum BadInputGenerators {
    typealias Generator = @Sendable (ScratchTree) async throws -> Void

    static let all: [String: Generator] = [
        "json-not-utf8": { scratch in
            try script(scratch, "app")
            try raw(scratch, "app/buildinfo.json", Array(#"{"environment": {"GREETING": "caf"#.utf8) + [0xE9] + Array(#""}}"#.utf8))
        },
        "json-deep-nesting": { scratch in
            try script(scratch, "app")
            let depth = 100_000
            try write(scratch, "app/buildinfo.json", #"{"environment": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
        },
        "json-huge-buildinfo": { scratch in
            try script(scratch, "app")
            try sparse(scratch, "app/buildinfo.json", bytes: 4 << 30)
        },
        "buildinfo-is-fifo": { scratch in
            try script(scratch, "app")
            try fifo(scratch, "app/buildinfo.json")
        },
        "buildinfo-is-directory": { scratch in
            try script(scratch, "app")
            try FileManager.default.createDirectory(at: scratch.packages.appendingPathComponent("app/buildinfo.json"), withIntermediateDirectories: true)
        },
        "package-name-not-utf8": { scratch in
            let name = Array("caf".utf8) + [0xE9]
            try raw(scratch, name + Array("/buildinfo.json".utf8), Array("{}".utf8))
            try raw(scratch, name + Array("/build".utf8), Array("true\n".utf8))
        },
        "extra-file-name-not-utf8": { scratch in
            try raw(scratch, Array("app/extra/notes-".utf8) + [0xFF] + Array(".txt".utf8), Array("notes\n".utf8))
        },
        "extra-symlink-escapes": { scratch in
            try write(scratch, "../outside/secret.txt", "host secret\n")
            try link(scratch, "app/extra", to: "../../outside")
        },
        "build-script-symlink-escapes": { scratch in
            try write(scratch, "../outside/build.sh", "true\n")
            try link(scratch, "app/build", to: "../../outside/build.sh")
        },
        "build-script-is-directory": { scratch in
            try write(scratch, "app/build/run.sh", "true\n")
        },
        "extra-fifo": { scratch in
            try fifo(scratch, "app/extra/pipe")
        },
        "extra-huge-file": { scratch in
            try sparse(scratch, "app/extra/disk.img", bytes: 3 << 29)
        },
        "extra-link-resolves-in-container": { scratch in
            let secret = try write(scratch, "../outside/secret.txt", "host secret\n")
            try link(scratch, "app/extra/host-secret", to: secret.path)
        },
        "url-extract-dotdot": { try await hostileArchive($0, "dotdot") },
        "url-extract-absolute-path": { try await hostileArchive($0, "absolute") },
        "url-extract-symlink-escape": { try await hostileArchive($0, "symlink") },
        "url-extract-huge-entry": { try await hostileArchive($0, "huge") },
    ]

    // MARK: - Making files

    /// A trivial build script for `package`.
    private static func script(_ scratch: ScratchTree, _ package: String) throws {
        try write(scratch, "\(package)/build", "true\n")
    }

    /// Writes `content` at `path` under `packages/`, making its directories.
    @discardableResult
    private static func write(_ scratch: ScratchTree, _ path: String, _ content: String) throws -> URL {
        let url = scratch.packages.appendingPathComponent(path).standardizedFileURL
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
        return url
    }

    private static func link(_ scratch: ScratchTree, _ path: String, to target: String) throws {
        let url = scratch.packages.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// A file of `bytes` zero bytes that takes no disk space.
    private static func sparse(_ scratch: ScratchTree, _ path: String, bytes: UInt64) throws {
        let url = try write(scratch, path, "")
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: bytes)
    }

    private static func fifo(_ scratch: ScratchTree, _ path: String) throws {
        let url = scratch.packages.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard mkfifo(url.path, 0o644) == 0 else { throw failure("mkfifo \(url.path)") }
    }

    /// A file whose path under `packages/` is raw bytes, which need not be UTF-8: Foundation
    /// cannot make such names, so the system calls take the bytes as they are.
    private static func raw(_ scratch: ScratchTree, _ path: [UInt8], _ content: [UInt8]) throws {
        let full = Array(scratch.packages.path.utf8) + [UInt8(ascii: "/")] + path
        for (index, byte) in full.enumerated().dropFirst() where byte == UInt8(ascii: "/") {
            let directory = cString(full[..<index])
            guard mkdir(directory, 0o755) == 0 || errno == EEXIST else { throw failure("mkdir") }
        }
        let descriptor = open(cString(full[...]), O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure("open") }
        defer { close(descriptor) }
        guard content.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == content.count else {
            throw failure("write")
        }
    }

    private static func raw(_ scratch: ScratchTree, _ path: String, _ content: [UInt8]) throws {
        try raw(scratch, Array(path.utf8), content)
    }

    private static func cString(_ bytes: ArraySlice<UInt8>) -> [CChar] {
        bytes.map { CChar(bitPattern: $0) } + [0]
    }

    private static func failure(_ what: String) -> BadInputCase.CorpusError {
        BadInputCase.CorpusError(message: "\(what): \(String(cString: strerror(errno)))")
    }

    // MARK: - Hostile archives

    /// Python's tarfile writes exactly the entries it is given, hostile ones included (no
    /// honest tool does). Every archive starts with an honest `app-1.0/README`.
    private static let craft = #"""
import hashlib, io, sys, tarfile
case, out, outside = sys.argv[1:4]
with tarfile.open(out, "w:gz") as tar:
    def add(name, data=b"x\n", type=tarfile.REGTYPE, link=""):
        info = tarfile.TarInfo(name); info.type = type; info.linkname = link; info.mode = 0o644
        info.size = len(data) if type == tarfile.REGTYPE else 0
        tar.addfile(info, io.BytesIO(data) if type == tarfile.REGTYPE else None)
    add("app-1.0/README", b"read me\n")
    if case == "dotdot": add("../escaped.txt")
    elif case == "absolute": add(outside + "/absolute.txt")
    elif case == "symlink": add("app-1.0/link", tarfile.SYMTYPE, link=outside); add("app-1.0/link/escaped.txt")
    elif case == "huge":
        # A header declaring 17 GiB with no data after it: the size alone must be refused.
        info = tarfile.TarInfo("app-1.0/huge.bin"); info.size = 17 << 30
        tar.fileobj.write(info.tobuf(tar.format, tar.encoding, tar.errors))
print(hashlib.sha256(open(out, "rb").read()).hexdigest())
"""#

    /// Writes the hostile archive `kind` as packages/app/vendor/app-1.0.tar.gz and puts its
    /// sha256 in place of `@SHA256@` in packages/app/buildinfo.json.
    private static func hostileArchive(_ scratch: ScratchTree, _ kind: String) async throws {
        let archive = scratch.packages.appendingPathComponent("app/vendor/app-1.0.tar.gz")
        try FileManager.default.createDirectory(at: archive.deletingLastPathComponent(), withIntermediateDirectories: true)
        let outside = scratch.directory.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let python = try await CLIRunner.runTool("/usr/bin/python3", ["-c", craft, kind, archive.path, outside.path])
        guard python.status == 0 else { throw BadInputCase.CorpusError(message: "crafting \(kind): \(python.stderr)") }
        let buildinfo = scratch.packages.appendingPathComponent("app/buildinfo.json")
        let text = try String(contentsOf: buildinfo, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "@SHA256@", with: python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).utf8)
            .write(to: buildinfo)
    }
}
