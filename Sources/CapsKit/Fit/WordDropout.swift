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

    /// Draws the positions to blank for `batch` rows and zeroes them in x [B, L, D].
    /// One draw per position (padding included), so the stream of a batch
    /// depends only on its generator, never on the documents' lengths.
    mutating func apply(to x: UnsafeMutablePointer<Float>, batch: Int, generator: inout SeededGenerator) {
        let p = Float(probability), D = dimension
        for position in 0..<(batch * maxLength) {
            let drop = generator.nextUnitFloat() < p
            blanked[position] = drop
            if drop { (x + position * D).update(repeating: 0, count: D) }
        }
    }
}
