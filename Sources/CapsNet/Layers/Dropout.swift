import CapsCore

/// Inverted dropout: during training each element is kept with probability
/// 1 − p and scaled by 1/(1 − p), so inference needs no rescaling. The mask
/// is drawn from a seeded generator, so a run is reproducible.
public enum Dropout {
    /// Fills mask[count] with 0 (dropped) or 1/(1 − p) (kept).
    public static func makeMask(_ mask: UnsafeMutablePointer<Float>, count: Int, probability p: Float,
                                generator: inout SeededGenerator) {
        let scale = 1 / (1 - p)
        for i in 0..<count { mask[i] = generator.nextUnitFloat() < p ? 0 : scale }
    }

    /// out = x ⊙ mask, all [count].
    public static func forward(x: UnsafePointer<Float>, mask: UnsafePointer<Float>,
                               out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = x[i] * mask[i] }
    }

    /// dx += dout ⊙ mask, all [count].
    public static func backward(dout: UnsafePointer<Float>, mask: UnsafePointer<Float>,
                                dx: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dx[i] += dout[i] * mask[i] }
    }
}
