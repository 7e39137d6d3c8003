import CapsCore

/// Word dropout (Iyyer et al. 2015): in each training batch every token
/// position is blanked with probability p — its vector set to zero, exactly
/// what padding looks like — so the classifier cannot lean on a few words.
/// There is no rescaling: a blanked word is absent, not louder elsewhere,
/// and inference sees whole documents. With a fine-tuned table, a blanked
/// position sends no gradient to its word's row.
struct WordDropout {
    let probability: Double
    let maxLength: Int
    let dimension: Int
    /// [B, L]: whether position t of batch row b was blanked in the last batch.
    private(set) var blanked: [Bool]

    init(probability: Double, batchSize: Int, maxLength: Int, dimension: Int) {
        self.probability = probability
        self.maxLength = maxLength
        self.dimension = dimension
        blanked = [Bool](repeating: false, count: batchSize * maxLength)
    }

    /// Draws the positions to blank for a batch of `batch` rows and zeroes
    /// them in x [n, L, D], which holds the batch's rows `rows` (all of them
    /// in one process; a rank's share under MPI). One draw per position of
    /// the whole batch (padding included), so the stream of a batch depends
    /// only on its generator — never on the documents' lengths, nor on which
    /// rank holds a row. `blanked` then covers the rows held, from 0.
    mutating func apply(to x: UnsafeMutablePointer<Float>, batch: Int, rows: Range<Int>? = nil,
                        generator: inout SeededGenerator) {
        let p = Float(probability), D = dimension
        let held = rows ?? 0..<batch
        let first = held.lowerBound * maxLength, end = held.upperBound * maxLength
        for position in 0..<(batch * maxLength) {
            let drop = generator.nextUnitFloat() < p
            guard position >= first && position < end else { continue }
            let local = position - first
            blanked[local] = drop
            if drop { (x + local * D).update(repeating: 0, count: D) }
        }
    }
}
