import Foundation
import NIOCore

/// A file read as a sequence of byte buffers, one block at a time: what a blob upload sends
/// without holding the blob in memory. Opened on the first read, so a request can be built
/// again (after an authentication challenge) from the same value.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let file: URL
    var blockSize = 1 << 20

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: URL
        let blockSize: Int
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if handle == nil { handle = try FileHandle(forReadingFrom: file) }
            guard let block = try handle?.read(upToCount: blockSize), !block.isEmpty else {
                try? handle?.close()
                finished = true
                return nil
            }
            return ByteBuffer(bytes: block)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(file: file, blockSize: blockSize)
    }
}
