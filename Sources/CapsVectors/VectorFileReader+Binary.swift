extension VectorFileReader {
    /// Longest word accepted in a binary record: far beyond any real token,
    /// small enough to stop quickly on a file that is not word2vec binary.
    static let binaryWordLimit = 4096

    /// Reads the next binary record into `values`; returns its word, or nil
    /// after the header's count of records (checking that nothing follows).
    func nextBinaryRecord() throws -> UnsafeBufferPointer<UInt8>? {
        // Records may be separated by `\n` (the original word2vec writes one).
        try stream.skip { $0 == 0x0A || $0 == 0x0D }
        position += 1
        let declared = declaredCount ?? 0
        if rowsRead == declared {
            guard try stream.isAtEnd() else { throw fail(.tooManyRows(declared: declared)) }
            return nil
        }
        let vectorBytes = 4 * dim
        switch try stream.readRecord(delimiter: 0x20, limit: Self.binaryWordLimit, payloadCount: vectorBytes) {
        case .found(let word, let payload):
            guard !word.isEmpty else { throw fail(.emptyWord) }
            let raw = UnsafeRawBufferPointer(payload)
            for j in 0..<dim {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * j, as: UInt32.self))
                let value = Float(bitPattern: bits)
                guard value.isFinite else { throw fail(.nonFiniteValue("\(value)", field: j + 1)) }
                values[j] = value
            }
            return word
        case .endOfFile(let headLength, let left):
            if left == 0 { throw fail(.tooFewRows(declared: declared, found: rowsRead)) }
            // Without a complete word we know only a lower bound of the size.
            let expected = (headLength ?? left) + 1 + vectorBytes
            throw fail(.truncatedRecord(expected: expected, found: left))
        case .tooLong:
            throw fail(.wordTooLong(limit: Self.binaryWordLimit))
        }
    }
}
