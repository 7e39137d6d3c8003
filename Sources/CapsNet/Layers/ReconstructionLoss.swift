/// Mean squared error between a reconstruction and its target, averaged over
/// all elements; the target is a constant (no gradient flows into it).
public enum ReconstructionLoss {
    /// recon, target: [count] → mean (r − x)². If `drecon` is given it receives
    /// scale · 2 (r − x) / count (overwritten).
    public static func forward(recon: UnsafePointer<Float>, target: UnsafePointer<Float>, count: Int,
                               drecon: UnsafeMutablePointer<Float>? = nil, scale: Float = 1) -> Float {
        var total: Double = 0
        let g = 2 * scale / Float(count)
        for i in 0..<count {
            let e = recon[i] - target[i]
            total += Double(e * e)
            drecon?[i] = g * e
        }
        return Float(total / Double(count))
    }
}
