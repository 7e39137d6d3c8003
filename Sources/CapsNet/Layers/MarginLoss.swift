/// The capsule margin loss, summed over classes and averaged over the batch:
/// L = (1/B) Σ_b w_{y_b} Σ_c [ T·max(0, m⁺ − l)² + λ(1 − T)·max(0, l − m⁻)² ],
/// T = 1 for the true class y_b of sample b and 0 otherwise; w = 1 unless
/// class weights are given (`capsfit --class-weights`), which weigh each
/// sample's whole loss by its class, as scikit-learn's `class_weight` does —
/// so the absent-class terms of a rare class's samples are weighted up too.
public struct MarginLoss: Sendable, Equatable {
    public var positive: Float, negative: Float, lambda: Float
    /// w [C], or nil for 1 everywhere.
    public var classWeights: [Float]?

    public init(positive: Float = 0.9, negative: Float = 0.1, lambda: Float = 0.5, classWeights: [Float]? = nil) {
        self.positive = positive; self.negative = negative; self.lambda = lambda
        self.classWeights = classWeights
    }

    /// lengths: [B, C], labels: [B] in 0..<C → the loss. If `dlengths` is
    /// given it receives scale · ∂L/∂lengths [B, C] (overwritten, not accumulated).
    /// Multi-label: `targets` [B, C] (1 for every class the sample has, else
    /// 0) replaces T = [c == label], so every true capsule is pushed past m⁺
    /// and every other below m⁻; the class weight is then that of `labels[b]`
    /// (the sample's first label).
    public func forward(lengths: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, classes: Int,
                        dlengths: UnsafeMutablePointer<Float>? = nil, scale: Float = 1,
                        targets: UnsafePointer<Float>? = nil) -> Float {
        var total: Double = 0
        let g = scale / Float(batch)
        for b in 0..<batch {
            let label = Int(labels[b])
            let weight = classWeights?[label] ?? 1
            for c in 0..<classes {
                let l = lengths[b * classes + c]
                let term: Float, grad: Float
                let present = targets.map { $0[b * classes + c] > 0 } ?? (c == label)
                if present {
                    let gap = max(0, positive - l)
                    term = gap * gap; grad = -2 * gap
                } else {
                    let gap = max(0, l - negative)
                    term = lambda * gap * gap; grad = 2 * lambda * gap
                }
                total += Double(weight * term)
                dlengths?[b * classes + c] = g * weight * grad
            }
        }
        return Float(total / Double(batch))
    }

    /// The loss of ONE sample in Double, for evaluation reports: lengths
    /// `row` [C] and its label. The constants are widened with Double(Float)
    /// and the terms accumulated in Double in class order, exactly as the
    /// evaluation reports have always computed it (so their numbers do not
    /// change); `forward` is the Float32 training version of the same sum.
    public func loss<Row: Collection>(row: Row, label: Int) -> Double where Row.Element == Float {
        let mPlus = Double(positive), mMinus = Double(negative), lambda = Double(self.lambda)
        var total = 0.0
        for (c, length) in row.enumerated() {
            let l = Double(length)
            if c == label {
                let gap = max(0, mPlus - l)
                total += gap * gap
            } else {
                let excess = max(0, l - mMinus)
                total += lambda * excess * excess
            }
        }
        return total
    }
}
