/// A list of file system steps for `pkgtree-mount` to carry out inside the private mount
/// namespace of one bwrap build: the overlay that makes the build's root writable, and the
/// install root assembled on a tmpfs with a bind mount per dependency. pkgtree writes the plan
/// to a file; the helper reads it, runs it and exits, and the shell that ran it execs bwrap.
///
/// Steps cost memory and a system call each, never a block on disk: deep in a large tree a
/// build has a thousand dependencies, and a directory made and removed on disk for each of
/// them cost more than the build.
///
/// Encoding: fields separated by NUL bytes (no path holds one), a step's name first; a
/// file's contents are preceded by their length in decimal.
public struct MountPlan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// `mkdir -p`.
        case directory(String)
        /// Changes the working directory: overlayfs reads relative layer paths from it, which
        /// keeps a mount's options within the page the kernel takes.
        case changeDirectory(String)
        case symlink(String, target: String)
        case file(String, contents: [UInt8])
        /// mount(2) with the flags named (`bind rec ro nosuid nodev remount`).
        case mount(source: String, target: String, type: String, flags: [Flag], data: String)
        /// umount2(2) with MNT_DETACH: an overlay keeps private clones of its layers, so the
        /// mounts it was made from can go, and no longer lengthen the mount table.
        case detach(String)
    }

    public enum Flag: String, Sendable, CaseIterable {
        case bind, rec, ro, nosuid, nodev, remount
    }

    public var steps: [Step]

    public init(_ steps: [Step]) {
        self.steps = steps
    }

    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        func field(_ text: String) {
            output.append(contentsOf: text.utf8)
            output.append(0)
        }
        for step in steps {
            switch step {
            case .directory(let path):
                field("directory"); field(path)
            case .changeDirectory(let path):
                field("cd"); field(path)
            case .symlink(let path, let target):
                field("symlink"); field(path); field(target)
            case .file(let path, let contents):
                field("file"); field(path); field(String(contents.count))
                output.append(contentsOf: contents)
            case .mount(let source, let target, let type, let flags, let data):
                field("mount"); field(source); field(target); field(type)
                field(flags.map(\.rawValue).joined(separator: ",")); field(data)
            case .detach(let path):
                field("detach"); field(path)
            }
        }
        return output
    }

    public struct DecodingError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var position = 0
        func field() throws(DecodingError) -> String {
            guard let end = bytes[position...].firstIndex(of: 0) else {
                throw DecodingError(description: "the plan ends inside a field at byte \(position)")
            }
            defer { position = end + 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        var steps: [Step] = []
        while position < bytes.count {
            switch try field() {
            case "directory": steps.append(.directory(try field()))
            case "cd": steps.append(.changeDirectory(try field()))
            case "symlink": steps.append(.symlink(try field(), target: try field()))
            case "file":
                let path = try field()
                guard let count = Int(try field()), count >= 0, position + count <= bytes.count else {
                    throw DecodingError(description: "the contents of \(path) are cut short")
                }
                steps.append(.file(path, contents: Array(bytes[position..<position + count])))
                position += count
            case "mount":
                let (source, target, type) = (try field(), try field(), try field())
                var flags: [Flag] = []
                for name in try field().split(separator: ",") {
                    guard let flag = Flag(rawValue: String(name)) else { throw DecodingError(description: "unknown mount flag \(name)") }
                    flags.append(flag)
                }
                steps.append(.mount(source: source, target: target, type: type, flags: flags, data: try field()))
            case "detach": steps.append(.detach(try field()))
            case let name:
                throw DecodingError(description: "unknown step '\(name)'")
            }
        }
        self.steps = steps
    }
}
