#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _CZlib

/// A buffered byte reader over zlib's gz* interface, which reads gzip and
/// plain files alike. Lines and byte runs are handed out as views into the
/// buffer, valid until the next call, so scanning a large file allocates
/// nothing per row.
///
/// The buffer always holds a 0 byte just past the buffered data, so C parsers
/// such as `strtof` never run beyond a view that ends at the end of the data.
final class ByteStream {
    let path: String
    private let file: gzFile
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEOF = false
    /// Whether the file is gzip-compressed (known after the first read).
    private(set) var isCompressed = false

    init(path: String, bufferSize: Int = 1 << 20) throws {
        self.path = path
        errno = 0
        guard let handle = gzopen(path, "rb") else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "out of memory"
            throw VectorFileError(path: path, location: .file, kind: .cannotOpen(reason: reason))
        }
        file = handle
        gzbuffer(file, 1 << 18)
        capacity = bufferSize
        buffer = .allocate(capacity: capacity + 1)
        buffer[0] = 0
        _ = try refill()
        isCompressed = gzdirect(file) == 0
    }

    deinit {
        gzclose(file)
        buffer.deallocate()
    }

    /// Number of buffered, unconsumed bytes.
    private var available: Int { end - start }

    /// Reads more bytes after the buffered ones, compacting or growing the
    /// buffer first. Returns false at end of file.
    private func refill() throws -> Bool {
        if atEOF { return false }
        if start > 0 {
            if available > 0 { memmove(buffer, buffer + start, available) }
            end -= start
            start = 0
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity + 1)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let n = gzread(file, buffer + end, UInt32(capacity - end))
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error \(code)"
            throw VectorFileError(path: path, location: .file, kind: .readFailed(reason: message))
        }
        if n == 0 {
            // gzread also returns 0 on a gzip stream cut short; gzerror tells.
            var code: Int32 = 0
            let message = gzerror(file, &code)
            if code != Z_OK {
                let reason = message.map { String(cString: $0) } ?? "zlib error \(code)"
                throw VectorFileError(path: path, location: .file, kind: .readFailed(reason: reason))
            }
            atEOF = true
        }
        end += Int(n)
        buffer[end] = 0
        return n > 0
    }

    /// Whether every byte has been consumed.
    func isAtEnd() throws -> Bool {
        while available == 0 {
            if try !refill() { return true }
        }
        return false
    }

    /// The next line without its `\n` (the last line may lack one), or nil at
    /// end of file. With `consume: false` the same line is returned again by
    /// the next call.
    func nextLine(consume: Bool = true) throws -> UnsafeBufferPointer<UInt8>? {
        var scanned = 0
        while true {
            if let hit = memchr(buffer + start + scanned, Int32(UInt8(ascii: "\n")), available - scanned) {
                let newline = hit.assumingMemoryBound(to: UInt8.self)
                let line = UnsafeBufferPointer(start: buffer + start, count: newline - (buffer + start))
                if consume { start += line.count + 1 }
                return line
            }
            scanned = available
            if try !refill() {
                guard available > 0 else { return nil }
                let line = UnsafeBufferPointer(start: buffer + start, count: available)
                if consume { start = end }
                return line
            }
        }
    }

    /// Like `nextLine(consume: false)`, but gives up (returning nil) when no
    /// line end appears within `limit` bytes: a peek for format detection.
    func peekLine(limit: Int) throws -> UnsafeBufferPointer<UInt8>? {
        while available < limit, try refill() {}
        let window = min(available, limit)
        if let hit = memchr(buffer + start, Int32(UInt8(ascii: "\n")), window) {
            let count = hit.assumingMemoryBound(to: UInt8.self) - (buffer + start)
            return UnsafeBufferPointer(start: buffer + start, count: count)
        }
        return atEOF && available <= limit && available > 0
            ? UnsafeBufferPointer(start: buffer + start, count: available) : nil
    }

    /// Consumes a record made of a head ending in `delimiter` (found within
    /// `limit` bytes) followed by `payloadCount` bytes, and returns the head
    /// (without the delimiter) and the payload. Both views stay valid together
    /// until the next call, which is why the record is read in one go.
    func readRecord(delimiter: UInt8, limit: Int, payloadCount: Int) throws -> RecordRead {
        var scanned = 0
        var headLength: Int? = nil
        while headLength == nil {
            let window = min(available, limit + 1) - scanned
            if let hit = memchr(buffer + start + scanned, Int32(delimiter), window) {
                headLength = hit.assumingMemoryBound(to: UInt8.self) - (buffer + start)
                break
            }
            scanned += window
            if scanned > limit { return .tooLong }
            if try !refill() {
                let left = available
                start = end
                return .endOfFile(headLength: nil, left: left)
            }
        }
        let head = headLength!
        while available < head + 1 + payloadCount {
            if try !refill() {
                let left = available
                start = end
                return .endOfFile(headLength: head, left: left)
            }
        }
        let headView = UnsafeBufferPointer(start: buffer + start, count: head)
        let payload = UnsafeBufferPointer(start: buffer + start + head + 1, count: payloadCount)
        start += head + 1 + payloadCount
        return .found(head: headView, payload: payload)
    }

    enum RecordRead {
        case found(head: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>)
        /// The file ends inside the record, `left` bytes after its start;
        /// `headLength` is known when the delimiter was seen.
        case endOfFile(headLength: Int?, left: Int)
        case tooLong
    }

    /// Consumes a UTF-8 byte-order mark at the current position, if any.
    func skipByteOrderMark() throws {
        while available < 3, try refill() {}
        if available >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
    }

    /// Consumes any bytes matching `predicate` (e.g. whitespace between binary records).
    func skip(_ predicate: (UInt8) -> Bool) throws {
        while true {
            while start < end, predicate(buffer[start]) { start += 1 }
            if start < end { return }
            if try !refill() { return }
        }
    }
}
