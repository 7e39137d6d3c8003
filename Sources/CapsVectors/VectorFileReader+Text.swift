extension VectorFileReader {
    /// Parses the next non-blank text line into `values`; returns its word,
    /// or nil at end of file (after checking the header's row count).
    func nextTextRow() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            guard let line = try stream.nextLine() else {
                if let declaredCount, rowsRead != declaredCount {
                    throw VectorFileError(path: path, location: .line(1),
                                          kind: .tooFewRows(declared: declaredCount, found: rowsRead))
                }
                return nil
            }
            position += 1
            let length = Self.trimmedLength(line)
            if length == 0 || line[..<length].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let declaredCount, rowsRead == declaredCount {
                throw fail(.tooManyRows(declared: declaredCount))
            }
            return try parseTextRow(line, length: length)
        }
    }

    /// Splits `line[..<length]` (trailing whitespace already excluded) into
    /// word and `dim` values, which it writes to `values`.
    private func parseTextRow(_ line: UnsafeBufferPointer<UInt8>, length: Int) throws -> UnsafeBufferPointer<UInt8> {
        spaces.removeAll(keepingCapacity: true)
        for i in 0..<length where line[i] == 0x20 { spaces.append(i) }
        let fieldCount = spaces.count + 1
        guard fieldCount > dim else {
            throw fail(.wrongValueCount(expected: dim, found: fieldCount - 1))
        }
        // Field k (0-based) spans spaces[k-1]+1 ..< spaces[k]; values are the last `dim`.
        let firstValue = fieldCount - dim
        let wordEnd = spaces[firstValue - 1]
        if firstValue > 1 {
            // The word holds spaces; if its last part is a number the row
            // more plausibly has one value too many.
            let partStart = spaces[firstValue - 2] + 1
            if Self.isNumber(line, from: partStart, to: wordEnd) {
                throw fail(.wrongValueCount(expected: dim, found: fieldCount - 1))
            }
        }
        guard wordEnd > 0 else { throw fail(.emptyWord) }
        for j in 0..<dim {
            let from = spaces[firstValue - 1 + j] + 1
            let to = j + 1 < dim ? spaces[firstValue + j] : length
            guard let value = Self.parseFloat(line, from: from, to: to) else {
                let field = line[from..<to]
                let shown = Self.text(field, limit: 40)
                throw fail(Self.isNumber(line, from: from, to: to) ? .nonFiniteValue(shown, field: j + 1) : .nonNumericValue(shown, field: j + 1))
            }
            values[j] = value
        }
        return UnsafeBufferPointer(rebasing: line[..<wordEnd])
    }
}
