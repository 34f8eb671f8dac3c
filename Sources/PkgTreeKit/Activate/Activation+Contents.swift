import Foundation
import SystemPackage

extension Activation {
    /// A file's bytes, kept as the pieces they were made of. Deep in a large tree
    /// `active.buildinfo.full.json` is megabytes of the packages' own `buildinfo.full.json`: a
    /// build writes the pieces it already holds straight into the file, rather than join them
    /// into one more buffer first.
    public struct Contents: Sendable {
        public private(set) var pieces: [ArraySlice<UInt8>]
        public private(set) var count: Int

        public init(_ data: Data) {
            self.init(pieces: [ArraySlice(data)])
        }

        init(_ text: String) {
            self.init(pieces: [ArraySlice(text.utf8)])
        }

        init(pieces: [ArraySlice<UInt8>]) {
            self.pieces = pieces
            count = pieces.reduce(0) { $0 + $1.count }
        }

        /// The bytes in one piece (a bootstrap's tar entry, a check that reads them back).
        public var data: Data {
            var data = Data(capacity: count)
            for piece in pieces { data.append(contentsOf: piece) }
            return data
        }

        /// Pieces below this size are gathered into writes of up to `buffered` bytes; larger ones
        /// are written from where they are (copying them first cost as much as writing them).
        static let gathered = 4 << 10
        static let buffered = 64 << 10

        /// Writes the bytes to a new file at `path` (mode 0644), replacing what is there: small
        /// pieces gathered into larger writes, large ones written from where they are. A full
        /// disk stays recognisable; anything else names the path.
        public func write(toFile path: String) throws {
            do {
                let file = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate, .closeOnExec],
                                                   permissions: [.ownerReadWrite, .groupRead, .otherRead])
                try file.closeAfter {
                    var buffer: [UInt8] = []
                    buffer.reserveCapacity(Self.buffered)
                    func flush() throws {
                        guard !buffer.isEmpty else { return }
                        _ = try file.writeAll(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                    for piece in pieces {
                        if piece.count >= Self.gathered {
                            try flush()
                            _ = try file.writeAll(piece)
                        } else {
                            if buffer.count + piece.count > Self.buffered { try flush() }
                            buffer += piece
                        }
                    }
                    try flush()
                }
            } catch let error as Errno {
                throw LinkFarm.failure(error.rawValue, path)
            }
        }
    }
}
