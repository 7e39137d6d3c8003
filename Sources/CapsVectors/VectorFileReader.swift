#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the rows of a word-vector file (GloVe text, word2vec/fastText text,
/// word2vec binary, each plain or gzip-compressed) one at a time, validating
/// every row, so a caller keeps only the rows it needs.
///
/// Opening reads the header (if any) and settles the format and dimension:
/// - a first line of exactly two integers is a `count dim` header; the
///   format is then word2vec text when the next line parses as a text row of
///   `dim` values and word2vec binary otherwise;
/// - any other first line is GloVe text, whose dimension is the number of
///   numeric fields at the end of the first line.
/// An explicit `format` skips detection.
///
/// Text rows are split on single spaces after trailing spaces, tabs and `\r`
/// are trimmed. The last `dim` fields are the values and everything before
/// them is the word, so words containing spaces (as in glove.840B) are read
/// whole — unless the field just before the values is itself a number, which
/// is reported as a row with too many values. Whitespace-only lines are
/// skipped. Values must be finite.
public final class VectorFileReader {
    /// The file's path as given.
    public let path: String
    /// The format, detected or as requested.
    public let format: VectorFormat
    /// Components per vector.
    public let dim: Int
    /// The row count from the header; nil for GloVe text.
    public let declaredCount: Int?
    /// Whether the file is gzip-compressed.
    public var isCompressed: Bool { stream.isCompressed }
    /// Rows returned so far.
    public private(set) var rowsRead = 0

    let stream: ByteStream
    /// Lines (text) or records (binary) consumed so far.
    var position = 0
    /// One row's values, reused for every row: [dim].
    var values: UnsafeMutableBufferPointer<Float>
    /// Byte offsets of the spaces in the current text line, reused.
    var spaces: [Int] = []

    /// The largest dimension a header may declare: far beyond published
    /// vectors (50–300 for GloVe, word2vec and fastText), and small enough
    /// that the row buffer allocated for it (4 MB) is harmless when a
    /// corrupt or hostile header states billions.
    public static let maxDimension = 1 << 20

    /// Opens `path` and reads its header.
    /// - Parameters:
    ///   - format: the layout, or nil to detect it from the content.
    ///   - expectedDim: the dimension the caller needs; a file whose vectors
    ///     have another dimension is an error.
    public init(path: String, format: VectorFormat? = nil, expectedDim: Int? = nil) throws {
        self.path = path
        stream = try ByteStream(path: path)
        if try stream.isAtEnd() { throw VectorFileError(path: path, location: .file, kind: .empty) }
        try stream.skipByteOrderMark()

        guard let first = try stream.nextLine(consume: false) else {
            throw VectorFileError(path: path, location: .file, kind: .empty)
        }
        let header = Self.parseHeader(first)
        let detected: VectorFormat
        var dim: Int
        var declared: Int? = nil
        if let format, !format.hasHeader {
            detected = format
            dim = 0
        } else if let header {
            guard header.dim <= Self.maxDimension else {
                throw VectorFileError(path: path, location: .line(1),
                                      kind: .dimensionTooLarge(found: header.dim, limit: Self.maxDimension))
            }
            declared = header.count
            dim = header.dim
            detected = .word2vecText  // refined below, once the header is consumed
        } else if let format {
            throw VectorFileError(path: path, location: .line(1),
                                  kind: .invalidHeader(Self.text(first, limit: 40) + " (\(format) needs one)"))
        } else {
            detected = .gloveText
            dim = 0
        }
        if detected == .gloveText {
            dim = Self.trailingNumberCount(first)
            if dim == 0 {
                throw VectorFileError(path: path, location: .line(1), kind: .wrongValueCount(expected: expectedDim ?? 1, found: 0))
            }
        }
        if let expectedDim, expectedDim != dim {
            throw VectorFileError(path: path, location: .line(1), kind: .dimensionMismatch(file: dim, requested: expectedDim))
        }
        self.dim = dim
        self.declaredCount = declared

        let resolved: VectorFormat
        if detected.hasHeader {
            _ = try stream.nextLine()
            position = 1
            if let format {
                resolved = format
            } else {
                // A text row fits well within 1 MiB; random float bytes
                // essentially never form one of exactly `dim` numbers.
                let next = try stream.peekLine(limit: 1 << 20)
                let looksTextual = next.map { Self.trailingNumberCount($0) == dim } ?? false
                let nothingFollows = try stream.isAtEnd()
                resolved = looksTextual || nothingFollows ? .word2vecText : .word2vecBinary
            }
            if resolved == .word2vecBinary { position = 0 }
        } else {
            resolved = detected
        }
        self.format = resolved
        // Allocated last, after every call that can throw: an initializer
        // that throws before all stored properties are set never runs
        // `deinit`, so a buffer allocated earlier leaked (up to 4 MiB per
        // file whose stream fails just after its header; found by fuzzing).
        values = .allocate(capacity: max(dim, 1))
        spaces.reserveCapacity(dim + 8)
    }

    deinit { values.deallocate() }

    /// Reads the next row and passes its word (UTF-8 bytes) and its `dim`
    /// values to `body`; both views are valid only during the call.
    /// - Returns: false, without calling `body`, after the last row.
    /// - Throws: `VectorFileError` naming the line or record of a malformed
    ///   row, or a header count that disagrees with the rows.
    @discardableResult
    public func nextRow(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Float>) throws -> Void) throws -> Bool {
        let word: UnsafeBufferPointer<UInt8>?
        switch format {
        case .gloveText, .word2vecText: word = try nextTextRow()
        case .word2vecBinary: word = try nextBinaryRecord()
        }
        guard let word else { return false }
        rowsRead += 1
        try body(word, UnsafeBufferPointer(values))
        return true
    }

    func fail(_ kind: VectorFileError.Kind) -> VectorFileError {
        let location: VectorFileError.Location = format == .word2vecBinary ? .record(position) : .line(position)
        return VectorFileError(path: path, location: location, kind: kind)
    }

    /// `count dim` when `line` is exactly two non-negative integers with dim ≥ 1.
    static func parseHeader(_ line: UnsafeBufferPointer<UInt8>) -> (count: Int, dim: Int)? {
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            .map { $0.filter { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") } }
            .filter { !$0.isEmpty }
        guard fields.count == 2,
              fields.allSatisfy({ $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } && $0.count <= 18 }),
              let count = Int(String(decoding: fields[0], as: UTF8.self)),
              let dim = Int(String(decoding: fields[1], as: UTF8.self)), dim >= 1
        else { return nil }
        return (count, dim)
    }

    /// How many space-separated fields at the end of `line` are numbers
    /// (finite or not), always leaving at least one field for the word.
    static func trailingNumberCount(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        let trimmed = trimmedLength(line)
        var count = 0
        var fieldEnd = trimmed
        var i = trimmed
        while i > 0 {
            i -= 1
            guard line[i] == UInt8(ascii: " ") else { continue }
            guard isNumber(line, from: i + 1, to: fieldEnd) else { break }
            count += 1
            fieldEnd = i
        }
        return count
    }

    /// The length of `line` without trailing spaces, tabs and `\r`.
    static func trimmedLength(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var n = line.count
        while n > 0, line[n - 1] == 0x20 || line[n - 1] == 0x09 || line[n - 1] == 0x0D { n -= 1 }
        return n
    }

    /// The finite Float spelled by all of `line[from..<to]`, or nil. Relies on
    /// the byte after the field being a separator or the stream's 0 sentinel.
    @inline(__always)
    static func parseFloat(_ line: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Float? {
        guard from < to, line[from] > 0x20, let base = line.baseAddress else { return nil }
        let first = UnsafeRawPointer(base + from).assumingMemoryBound(to: CChar.self)
        var stop: UnsafeMutablePointer<CChar>? = nil
        let value = strtof(first, &stop)
        guard let stop, stop - UnsafeMutablePointer(mutating: first) == to - from, value.isFinite else { return nil }
        return value
    }

    /// Whether all of `line[from..<to]` spells a number, finite or not (so a
    /// stray `nan` is reported as a bad value, not taken as part of a word).
    static func isNumber(_ line: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        guard from < to, line[from] > 0x20, let base = line.baseAddress else { return false }
        let first = UnsafeRawPointer(base + from).assumingMemoryBound(to: CChar.self)
        var stop: UnsafeMutablePointer<CChar>? = nil
        _ = strtof(first, &stop)
        return stop.map { $0 - UnsafeMutablePointer(mutating: first) == to - from } ?? false
    }

    /// Up to `limit` bytes of `bytes` as text, for messages.
    static func text<C: Collection>(_ bytes: C, limit: Int) -> String where C.Element == UInt8 {
        let shown = String(decoding: Array(bytes.prefix(limit)), as: UTF8.self)
        return bytes.count > limit ? shown + "…" : shown
    }
}
