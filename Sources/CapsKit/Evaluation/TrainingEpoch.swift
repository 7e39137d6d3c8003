/// One row of a training history: the metrics logged at the end of an epoch.
/// Validation values are nil when training ran without a validation split;
/// any value may be NaN when training diverged (plots skip such points).
public struct TrainingEpoch: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Total training loss (margin + weighted reconstruction).
    public var loss: Double
    /// Margin part of the training loss.
    public var marginLoss: Double
    /// Reconstruction part of the training loss (already weighted).
    public var reconstructionLoss: Double
    /// Training accuracy in [0, 1].
    public var trainAccuracy: Double
    public var validationLoss: Double?
    /// Validation accuracy in [0, 1].
    public var validationAccuracy: Double?
    public var learningRate: Double
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
    /// Training throughput.
    public var samplesPerSecond: Double

    public init(epoch: Int, loss: Double, marginLoss: Double, reconstructionLoss: Double,
                trainAccuracy: Double, validationLoss: Double?, validationAccuracy: Double?,
                learningRate: Double, seconds: Double, samplesPerSecond: Double) {
        self.epoch = epoch
        self.loss = loss
        self.marginLoss = marginLoss
        self.reconstructionLoss = reconstructionLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}

extension Array where Element == TrainingEpoch {
    /// The best epoch: highest validation accuracy when any epoch has one,
    /// otherwise lowest training loss; ties go to the earliest epoch, and
    /// NaN values never win. Nil for an empty history.
    public func bestEpoch() -> TrainingEpoch? {
        let byValidation = contains { ($0.validationAccuracy ?? .nan).isFinite }
        // Higher is better; nil or NaN means "cannot compete".
        func score(_ e: TrainingEpoch) -> Double? {
            let s = byValidation ? e.validationAccuracy : -e.loss
            return s.flatMap { $0.isNaN ? nil : $0 }
        }
        var best: (epoch: TrainingEpoch, score: Double)?
        for e in self {
            guard let s = score(e) else { continue }
            if best == nil || s > best!.score { best = (e, s) }
        }
        return best?.epoch
    }
}
