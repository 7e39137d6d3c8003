extension EpochRecord {
    /// The record as the plots and summaries take it: NaN validation values
    /// (no validation in training) become nil.
    public var trainingEpoch: TrainingEpoch {
        TrainingEpoch(epoch: epoch, loss: loss, marginLoss: marginLoss, reconstructionLoss: reconstructionLoss,
                      trainAccuracy: trainAccuracy,
                      validationLoss: validationLoss.isNaN ? nil : validationLoss,
                      validationAccuracy: validationAccuracy.isNaN ? nil : validationAccuracy,
                      learningRate: learningRate, seconds: seconds, samplesPerSecond: samplesPerSecond)
    }
}

extension TrainingHistory {
    /// Every epoch as a `TrainingEpoch`.
    public var trainingEpochs: [TrainingEpoch] { records.map(\.trainingEpoch) }
}
