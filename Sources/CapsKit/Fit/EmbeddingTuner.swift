import CapsMPI
import CapsNet

/// The embedding table trained with the model ("non-static" embeddings, Kim
/// 2014): batches are gathered from it by token id, and the network's input
/// gradient is scattered back into the rows of the words in the batch.
///
/// Two Adam variants (`Update`): `dense`, PyTorch's behaviour for a dense
/// embedding gradient — every row's moments decay each step, so a word keeps
/// moving for a while after it was seen (rare words travel about ten times
/// further than one step); and `lazy` (row-sparse), where only rows that
/// occur in the batch change. Both use the global step for bias correction.
/// Row 0 (padding) never changes in either, so padding stays zero.
public final class EmbeddingTuner {
    public enum Update: String, Sendable, CaseIterable {
        case dense, lazy
    }

    public let rows: Int, dimension: Int
    public let update: Update
    /// [V, D] values, first and second moments, and the gradient being accumulated.
    public private(set) var table: [Float]
    public private(set) var firstMoment: [Float]
    public private(set) var secondMoment: [Float]
    private var gradient: [Float]
    private var touched: [Int] = []
    private var isTouched: [Bool]

    public init(table: [Float], dimension: Int, update: Update = .dense) {
        precondition(table.count % dimension == 0)
        self.update = update
        self.table = table
        self.dimension = dimension
        rows = table.count / dimension
        firstMoment = [Float](repeating: 0, count: table.count)
        secondMoment = [Float](repeating: 0, count: table.count)
        gradient = [Float](repeating: 0, count: table.count)
        isTouched = [Bool](repeating: false, count: rows)
    }

    /// Restores saved moments (for `--resume`).
    public func restore(table: [Float], firstMoment: [Float], secondMoment: [Float]) {
        precondition(table.count == self.table.count && firstMoment.count == table.count && secondMoment.count == table.count)
        self.table = table
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Exchanges the table with another of the same size (to evaluate averaged weights).
    func swapTable(with other: inout [Float]) {
        precondition(other.count == table.count)
        swap(&table, &other)
    }

    /// x[b, t, :] = table[ids[row_b, t], :] for the rows given.
    /// - Parameters: ids [N, L] of the whole file; x [rows.count, L, D].
    public func gather(ids: [Int32], maxLength: Int, rows batchRows: ArraySlice<Int>, into x: UnsafeMutablePointer<Float>) {
        let D = dimension
        table.withUnsafeBufferPointer { table in
            for (b, row) in batchRows.enumerated() {
                for t in 0..<maxLength {
                    let id = Int(ids[row * maxLength + t])
                    (x + (b * maxLength + t) * D).update(from: table.baseAddress! + id * D, count: D)
                }
            }
        }
    }

    /// Adds dx [B, L, D] into the gradient rows of the batch's token ids,
    /// except at positions marked in `skipping` [B, L] (blanked by word dropout).
    public func accumulate(ids: [Int32], maxLength: Int, rows batchRows: ArraySlice<Int>, dx: UnsafePointer<Float>,
                           skipping: [Bool]? = nil) {
        let D = dimension
        gradient.withUnsafeMutableBufferPointer { gradient in
            for (b, row) in batchRows.enumerated() {
                for t in 0..<maxLength {
                    let id = Int(ids[row * maxLength + t])
                    if id == 0 { continue }  // padding never learns
                    if let skipping, skipping[b * maxLength + t] { continue }
                    if !isTouched[id] { isTouched[id] = true; touched.append(id) }
                    let g = gradient.baseAddress! + id * D, d = dx + (b * maxLength + t) * D
                    for k in 0..<D { g[k] += d[k] }
                }
            }
        }
    }

    /// Sums the accumulated gradient over the ranks of `group`, row-sparse:
    /// every row a rank touched is summed and touched on all of them, so each
    /// rank then takes the same update (nothing to do in one process).
    func sumGradientAcrossRanks(_ group: ProcessGroup) {
        guard group.isMPI else { return }
        let touchedNow = touched
        let union = gradient.withUnsafeMutableBufferPointer {
            group.sumRows($0.baseAddress!, width: dimension, touched: touchedNow)
        }
        for id in union where !isTouched[id] { isTouched[id] = true; touched.append(id) }
    }

    /// One Adam update (PyTorch's formula, global `step` ≥ 1) of every row but
    /// padding (`dense`) or of the rows seen since the last update (`lazy`),
    /// then clears the accumulated gradient. The arithmetic is the network's
    /// Adam kernel (`Adam.update(values:...)`) with its constants; weight
    /// decay never applies to the table.
    public func update(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, step: Int) {
        let constants = Adam.Constants(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                       step: step)
        let D = dimension
        table.withUnsafeMutableBufferPointer { p in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { g in
                        func adam(_ range: Range<Int>) {
                            Adam.update(values: p.baseAddress!, gradients: g.baseAddress!, firstMoment: m.baseAddress!,
                                        secondMoment: v.baseAddress!, range: range, constants: constants)
                            (g.baseAddress! + range.lowerBound).update(repeating: 0, count: range.count)
                        }
                        switch update {
                        case .dense:
                            adam(D..<(rows * D))  // every row but padding (row 0): one contiguous range
                        case .lazy:
                            touched.sort()  // a fixed order: results never depend on the batch's word order
                            for id in touched { adam((id * D)..<(id * D + D)) }
                        }
                    }
                }
            }
        }
        for id in touched { isTouched[id] = false }
        touched.removeAll(keepingCapacity: true)
    }
}
