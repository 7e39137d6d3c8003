/// Vector files in every layout the reader accepts, a few rows each.
enum VectorSeeds {
    static let text: [[UInt8]] = [
        "the 0.1 -0.2 3e-2\ncat 1 2 3\n\nnew york 0.5 0.5 0.5\n",      // GloVe, a word with a space
        "3 2\nthe 0.1 0.2\r\ncat -1.5 2.25 \n猫 0 0\n",                 // word2vec text, CRLF
        "\u{FEFF}2 3\n</s> 0 0 0\nb 1e10 -1e-10 7\n",                 // BOM, fastText .vec
    ].map { Array($0.utf8) }

    /// word2vec binary: `count dim\n`, then word, space, dim float32 (little-endian), `\n`.
    static let binary: [[UInt8]] = [
        record(count: 2, dim: 3, rows: [("the", [0.1, -0.2, 0.3]), ("cat", [1, 2, 3])], newline: true),
        record(count: 2, dim: 2, rows: [("a", [0, 1]), ("猫", [-1, 0.5])], newline: false),
    ]

    static func record(count: Int, dim: Int, rows: [(String, [Float])], newline: Bool) -> [UInt8] {
        var out = Array("\(count) \(dim)\n".utf8)
        for (word, values) in rows {
            out += Array(word.utf8) + [0x20]
            for value in values { out += (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern.littleEndian >> (8 * $0)) } }
            if newline { out.append(0x0A) }
        }
        return out
    }
}
