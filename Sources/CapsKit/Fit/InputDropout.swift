import CapsCore
import CapsNet

/// Inverted dropout on the input x [B, L, D] of a training batch — on each
/// value of each word vector, before conv1: kept values are scaled by
/// 1/(1 − p), so inference needs no change. With a fine-tuned table the input
/// gradient goes through the same mask on its way back to the table.
struct InputDropout {
    let probability: Float
    /// [B, L, D] mask of the last batch: 0 or 1/(1 − p).
    private var mask: [Float]
    private var count = 0
    /// The first value of the batch that x holds.
    private var offset = 0

    init(probability: Float, batchSize: Int, sampleSize: Int) {
        self.probability = probability
        mask = [Float](repeating: 0, count: batchSize * sampleSize)
    }

    /// Draws a mask for the `count` values of a batch and applies it in
    /// place to x, which holds the values `values` of them (all in one
    /// process; a rank's share under MPI): the mask is a function of the
    /// generator alone, whichever rank holds a row.
    mutating func apply(to x: UnsafeMutablePointer<Float>, count: Int, values: Range<Int>? = nil,
                        generator: inout SeededGenerator) {
        precondition(count <= mask.count)
        let held = values ?? 0..<count
        offset = held.lowerBound
        self.count = held.count
        mask.withUnsafeMutableBufferPointer { mask in
            Dropout.makeMask(mask.baseAddress!, count: count, probability: probability, generator: &generator)
            Dropout.forward(x: x, mask: mask.baseAddress! + held.lowerBound, out: x, count: held.count)
        }
    }

    /// d loss / d x = d loss / d x' ⊙ mask, in place over the last batch's values held.
    func backward(_ gradient: inout [Float]) {
        for i in 0..<count { gradient[i] *= mask[offset + i] }
    }
}
