import CapsStorage

/// Where the documents' input matrices [L, D] come from.
public enum ScoringRows {
    /// Stored matrices `/x` [N, L, D] of an embedded file (static
    /// embeddings), streamed a block of rows at a time.
    case matrices(H5Dataset<Float>)
    /// Token ids [N, L] looked up in a table [V, D] (fine-tuned embeddings,
    /// or raw text); every id must be below V.
    case lookup(ids: [Int32], table: [Float])

    /// The rows of token ids [N, L] in the model's vocabulary, for each member:
    /// looked up in each member's fine-tuned table, or in the one static table
    /// all share. How raw text and tokens files are embedded for scoring.
    static func lookup(ids: [Int32], model: ScoringModel) -> [ScoringRows] {
        (model.isFineTuned ? model.tables : [model.table]).map { .lookup(ids: ids, table: $0) }
    }

    /// Writes the matrices of documents `rows` into `x` ([rows.count, L, D]).
    func fill(_ rows: Range<Int>, maxLength: Int, dimension: Int, into x: UnsafeMutableBufferPointer<Float>) throws {
        switch self {
        case let .matrices(dataset):
            try dataset.readRows(startRow: rows.lowerBound, count: rows.count,
                                 into: UnsafeMutableBufferPointer(rebasing: x[0..<(rows.count * maxLength * dimension)]))
        case let .lookup(ids, table):
            table.withUnsafeBufferPointer { table in
                var target = x.baseAddress!
                for id in ids[(rows.lowerBound * maxLength)..<(rows.upperBound * maxLength)] {
                    target.update(from: table.baseAddress! + Int(id) * dimension, count: dimension)
                    target += dimension
                }
            }
        }
    }

    /// The row [D] of a padding position: the table's `<pad>` row for
    /// lookups, zeros in stored matrices (embed writes `<pad>`'s zero row).
    func padRow(dimension: Int) -> [Float] {
        switch self {
        case .matrices: return [Float](repeating: 0, count: dimension)
        case let .lookup(_, table): return Array(table[0..<dimension])
        }
    }
}
