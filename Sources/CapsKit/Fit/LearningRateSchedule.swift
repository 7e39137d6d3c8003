import CapsArtifacts
import Foundation

/// When the learning rate is multiplied by `--lr-decay`.
///
/// Why a second schedule: the reference decays after every epoch, which
/// spends a fixed budget of steps (Σ lr·0.9^e ≈ 10·lr) whatever the data. A
/// model with many classes sees each class's few examples once per epoch and
/// is still improving when that budget runs out: on BANKING77 (77 classes)
/// training accuracy still climbs at epoch 20 with ×0.9, and ×0.97 alone
/// lifts the test score by 3.5 points. Decaying only when validation stops
/// improving adapts the budget to the data instead of to a hand-picked rate.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    /// After every epoch: epoch e trains at lr·decay^(e−1) (the reference).
    case exponential
    /// After each epoch that is not a new best (validation accuracy, or the
    /// training loss without a validation split): ReduceLROnPlateau with no
    /// patience, so the rate stays as long as the model improves.
    case plateau

    /// The learning rate of epoch `epoch` (1-based), given the records of
    /// the epochs before it (in order; a resumed run has them in its history,
    /// so it continues with the same rate).
    public func rate(epoch: Int, base: Float, decay: Float, history: [EpochRecord]) -> Float {
        switch self {
        case .exponential:
            return base * Float(pow(Double(decay), Double(epoch - 1)))
        case .plateau:
            var best = -Double.infinity, decays = 0
            for record in history where record.epoch < epoch {
                // Higher is better: validation accuracy, else the negated training loss.
                let score = record.validationAccuracy ?? -record.loss
                if score > best { best = score } else { decays += 1 }
            }
            return base * Float(pow(Double(decay), Double(decays)))
        }
    }
}
