/// A word-embedding lookup table: one row of `dim` Floats per token id.
public struct EmbeddingTable: Sendable {
    /// Number of rows (token ids `0..<vocabularySize`).
    public let vocabularySize: Int
    /// Components per row.
    public let dim: Int
    /// Row-major values, shape [vocabularySize, dim]: row `id` starts at `id * dim`.
    public var values: [Float]
    /// How the rows were filled.
    public let report: EmbeddingReport

    /// The `dim` values of token `id`.
    public func row(_ id: Int) -> ArraySlice<Float> {
        precondition(id >= 0 && id < vocabularySize, "token id \(id) outside 0..<\(vocabularySize)")
        return values[id * dim ..< (id + 1) * dim]
    }
}
