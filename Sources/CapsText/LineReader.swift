import Foundation

/// Splits a byte stream into lines, reading it in chunks so a file of
/// hundreds of megabytes is never held whole.
///
/// `\n`, `\r\n` and a lone `\r` all end a line (a `\r\n` split across two
/// chunks still counts once). A final line without a terminator is returned;
/// a terminator at the very end does not make an extra empty line. A UTF-8
/// byte-order mark at the start of the stream is dropped. Lines come back as
/// raw bytes: decoding, and what to do with invalid UTF-8, is the caller's call.
struct LineReader {
    /// Returns the next chunk of the stream, or nil / empty at its end.
    private let readChunk: () throws -> Data?
    private var buffer: [UInt8] = []
    /// Start of the unread part of `buffer`.
    private var start = 0
    /// Where the search for the next terminator resumes (≥ `start`), so a
    /// long line spread over many chunks is scanned only once.
    private var scanFrom = 0
    private var atEndOfStream = false
    private var sawFirstLine = false
    /// The 1-based number of the line most recently returned.
    private(set) var lineNumber = 0

    init(readChunk: @escaping () throws -> Data?) {
        self.readChunk = readChunk
    }

    /// The next line's bytes without its terminator, or nil at the end.
    mutating func nextLine() throws -> [UInt8]? {
        while true {
            if let i = buffer[scanFrom...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                // A CR as the last buffered byte may be the first half of a CRLF.
                if buffer[i] == 0x0D, i + 1 == buffer.count, !atEndOfStream {
                    scanFrom = i
                    try refill()
                    continue
                }
                var line = Array(buffer[start..<i])
                start = (buffer[i] == 0x0D && i + 1 < buffer.count && buffer[i + 1] == 0x0A) ? i + 2 : i + 1
                scanFrom = start
                return finish(&line)
            }
            if atEndOfStream {
                guard start < buffer.count else { return nil }
                var line = Array(buffer[start...])
                start = buffer.count
                scanFrom = start
                return finish(&line)
            }
            scanFrom = buffer.count
            try refill()
        }
    }

    private mutating func finish(_ line: inout [UInt8]) -> [UInt8] {
        lineNumber += 1
        if !sawFirstLine {
            sawFirstLine = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        return line
    }

    /// Drops the consumed prefix and appends the next chunk (or notes the end).
    private mutating func refill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            scanFrom -= start
            start = 0
        }
        if let chunk = try readChunk(), !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
        } else {
            atEndOfStream = true
        }
    }
}

extension LineReader {
    /// The size of each read from a file or standard input.
    static let chunkSize = 1 << 20

    /// Lines of an open file handle (a file or standard input).
    init(handle: FileHandle) {
        self.init { try handle.read(upToCount: LineReader.chunkSize) }
    }

    /// Lines of bytes already in memory.
    init(data: Data) {
        var remaining: Data? = data
        self.init {
            defer { remaining = nil }
            return remaining
        }
    }
}
