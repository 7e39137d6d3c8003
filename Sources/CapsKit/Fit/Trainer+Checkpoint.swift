import CapsArtifacts
import CapsCore
import CapsNet
import CapsStorage

/// What the trainer keeps and writes: the kept weights (best or last epoch),
/// the model file with its checkpoint after every epoch or interruption, and
/// the lines that tell the user about them.
extension Trainer {
    /// The weights validated and kept: the moving average when averaging, else the live ones.
    var candidateWeights: (parameters: [Float], embedding: [Float]?) {
        if let average { return (average.parameters, average.embedding) }
        return (network.parameters.allValues(), tuner?.table)
    }

    func updateKept(_ record: EpochRecord) {
        switch options.keep {
        case .last:
            (keptWeights, keptEmbedding) = candidateWeights
            if let accuracy = record.validationAccuracy, !accuracy.isNaN, accuracy > bestValidationAccuracy {
                bestValidationAccuracy = accuracy
                bestEpoch = record.epoch
            }
        case .best:
            if let accuracy = record.validationAccuracy, accuracy > bestValidationAccuracy {
                bestValidationAccuracy = accuracy
                bestEpoch = record.epoch
                (keptWeights, keptEmbedding) = candidateWeights
            }
        }
    }

    func keptDescription() -> String {
        let done = checkpoint?.epochsCompleted ?? history.records.last?.epoch ?? 0
        return done > 0 ? "\(outputPath) keeps the checkpoint of epoch \(done)" : "no epoch completed, nothing written"
    }

    func resumeCommand() -> String {
        "capsfit --resume \(shellQuoted([outputPath])) --epochs \(options.epochs) \(shellQuoted([inputPath])) -o \(shellQuoted([outputPath]))"
    }

    func summaryLine() -> String {
        let validationText: String
        switch (options.validation, validation) {
        case (.split(let f), let v?): validationText = "\(v.rows.count) validation rows (\(fixed(100 * f, 0))% split)"
        case (.file(let path), let v?): validationText = "\(v.rows.count) validation rows from \(path)"
        default: validationText = "no validation"
        }
        return "capsfit: \(trainRows.count) training rows, \(validationText); \(config.classes) classes, input \(config.maxLength)×\(config.dimension); \(network.parameters.count) parameters\(tuner.map { " + \($0.table.count) embedding" } ?? ""); batch \(options.batchSize), \(options.threads) thread\(options.threads == 1 ? "" : "s")"
    }

    /// Writes the model file with the kept weights and the current state as its checkpoint.
    func writeModel(epochsCompleted: Int, batchesDone: Int, learningRate: Float, epochSums: EpochSums) throws {
        let state = Checkpoint(parameters: network.parameters.allValues(), adamStep: adam.step,
                               adamFirstMoment: Array(UnsafeBufferPointer(start: adam.firstMoment, count: adam.count)),
                               adamSecondMoment: Array(UnsafeBufferPointer(start: adam.secondMoment, count: adam.count)),
                               embeddingTable: tuner?.table, embeddingFirstMoment: tuner?.firstMoment,
                               embeddingSecondMoment: tuner?.secondMoment, epochsCompleted: epochsCompleted,
                               batchesDone: batchesDone, learningRate: learningRate, epochSums: epochSums,
                               bestValidationAccuracy: bestValidationAccuracy, bestEpoch: bestEpoch,
                               averageParameters: average?.parameters, averageEmbedding: average?.embedding)
        var attributes = runAttributes
        attributes += [
            ("epochs_completed", .int(Int64(epochsCompleted))),
            ("best_epoch", .int(Int64(bestEpoch))),
            ("best_val_acc", .double(bestValidationAccuracy.isFinite ? bestValidationAccuracy : .nan)),
        ]
        // Before any epoch completes (Ctrl-C in epoch 1) the kept weights are the current ones.
        let weights = history.records.isEmpty ? state.parameters : keptWeights
        let embedding = history.records.isEmpty ? tuner?.table : keptEmbedding
        let model = ModelFile(config: config, tensors: network.parameters.tensors, weights: weights,
                              tunedEmbedding: embedding, vocabulary: input.vocabulary.tokens,
                              vocabularyCounts: input.vocabulary.counts, labelNames: input.labelNames,
                              embedding: input.embedding, history: history, checkpoint: state,
                              provenance: provenance, attributes: attributes)
        try model.write(to: outputPath)
        checkpoint = state
        if let logPath = options.logPath {
            try TextOutput.write(history.csv, to: logPath)
        }
    }
}
