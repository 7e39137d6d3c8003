

/// The capsule margin loss (Sabour et al., 2017) evaluated on lengths:
///
///     L_n = Σ_c  T_nc · max(0, m⁺ − ‖v_nc‖)²  +  λ · (1 − T_nc) · max(0, ‖v_nc‖ − m⁻)²
///
/// with T_nc = 1 when c is document n's label. `mean` averages L_n over
/// documents (summing over classes), the usual reduction in training, so the
/// evaluation number is comparable with the training log.
public struct MarginLoss: Sendable, Equatable {
    /// m⁺: the true class capsule should be at least this long.
    public var mPlus: Double
    /// m⁻: other capsules should be at most this long.
    public var mMinus: Double
    /// λ: down-weights absent classes so early training does not shrink every capsule.
    public var lambda: Double

    public init(mPlus: Double = 0.9, mMinus: Double = 0.1, lambda: Double = 0.5) {
        self.mPlus = mPlus
        self.mMinus = mMinus
        self.lambda = lambda
    }

    /// L_n for one row of lengths `[C]` and its label.
    public func loss<Row: Collection>(row: Row, label: Int) -> Double where Row.Element == Float {
        var total = 0.0
        for (c, length) in row.enumerated() {
            let v = Double(length)
            if c == label {
                let gap = max(0, mPlus - v)
                total += gap * gap
            } else {
                let excess = max(0, v - mMinus)
                total += lambda * excess * excess
            }
        }
        return total
    }

    /// Mean of L_n over the N documents; 0 for an empty batch.
    public func mean(lengths: CapsuleLengths, labels: [Int32]) throws -> Double {
        try Self.validate(labels: labels, for: lengths)
        guard lengths.documentCount > 0 else { return 0 }
        var sum = 0.0
        for n in 0..<lengths.documentCount {
            sum += loss(row: lengths.row(n), label: Int(labels[n]))
        }
        return sum / Double(lengths.documentCount)
    }

    /// One label per document, each a valid class index.
    static func validate(labels: [Int32], for lengths: CapsuleLengths) throws {
        guard labels.count == lengths.documentCount else {
            throw EvaluationError.labelCount(labels: labels.count, documents: lengths.documentCount)
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= lengths.classCount }) {
            throw EvaluationError.labelOutOfRange(document: bad, label: labels[bad], classCount: lengths.classCount)
        }
    }
}
