/// Cosine nearest neighbours among the rows of a table [V, D] (an embedding
/// table), for reading a decoder's output [T, D] back as words: the rows are
/// normalised once, and each query block is one GEMM against them.
public struct NearestRows: Sendable {
    public let dimension: Int
    /// Unit rows [V, D]; rows of zero length (padding) stay zero, so they are never nearest.
    private let unitRows: [Float]
    /// Rows never returned: the excluded ones and those of zero length.
    private let skipped: Set<Int>
    public var count: Int { unitRows.count / dimension }

    /// `excluded` rows (e.g. `<pad>`) are never returned.
    public init(table: [Float], dimension: Int, excluded: Set<Int> = []) {
        precondition(dimension > 0 && table.count % dimension == 0)
        self.dimension = dimension
        var rows = table, skipped = excluded
        for r in 0..<(table.count / dimension) {
            var q: Float = 0
            for d in 0..<dimension { q += rows[r * dimension + d] * rows[r * dimension + d] }
            if q == 0 { skipped.insert(r) }
            let scale: Float = skipped.contains(r) ? 0 : 1 / q.squareRoot()
            for d in 0..<dimension { rows[r * dimension + d] *= scale }
        }
        unitRows = rows
        self.skipped = skipped
    }

    /// For each query row of `queries` [T, D]: the nearest table row and its
    /// cosine similarity (first on ties; cosine 0 for a zero query). Nil
    /// rows when every row is skipped.
    public func nearest(_ queries: [Float]) -> [(row: Int, cosine: Float)] {
        let D = dimension, T = queries.count / D, V = count
        guard T > 0, let first = (0..<V).first(where: { !skipped.contains($0) }) else { return [] }
        var scores = [Float](repeating: 0, count: T * V)   // [T, V]
        queries.withUnsafeBufferPointer { q in
            unitRows.withUnsafeBufferPointer { u in
                scores.withUnsafeMutableBufferPointer { s in
                    // scores[T, V] = queries[T, D] · unitRowsᵀ[D, V]
                    BLAS.gemm(transB: true, m: T, n: V, k: D, a: q.baseAddress!, lda: D,
                              b: u.baseAddress!, ldb: D, beta: 0, c: s.baseAddress!, ldc: V)
                }
            }
        }
        return (0..<T).map { t in
            var norm: Float = 0
            for d in 0..<D { norm += queries[t * D + d] * queries[t * D + d] }
            var best = first
            for v in (first + 1)..<V where scores[t * V + v] > scores[t * V + best] && !skipped.contains(v) { best = v }
            return (best, norm > 0 ? scores[t * V + best] / norm.squareRoot() : 0)
        }
    }
}
