import CapsArtifacts
import CapsMPI
import CapsCore
import CapsNet
import CapsReports
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

    /// ", of which a lexical table of R×E (… MiB, … MiB while training)", or "".
    var lexicalTableText: String {
        guard let lexical = network.lexical else { return "" }
        let values = Double(lexical.table.count), mebibyte = 1024.0 * 1024.0
        return " (of which the lexical table \(lexical.buckets)×\(lexical.width): \(fixed(4 * values / mebibyte, 1)) MiB, \(fixed(16 * values / mebibyte, 1)) MiB while training)"
    }

    func summaryLine() -> String {
        let validationText: String
        switch (options.validation, validation) {
        case (.split(let f), let v?): validationText = "\(v.rows.count) validation rows (\(fixed(100 * f, 0))% split)"
        case (.file(let path), let v?): validationText = "\(v.rows.count) validation rows from \(path)"
        default: validationText = "no validation"
        }
        return "capsfit: \(trainRows.count) training rows, \(validationText); \(config.classes) classes, input \(config.maxLength)×\(config.dimension); \(network.parameters.count) parameters\(tuner.map { " + \($0.table.count) embedding" } ?? "")\(lexicalTableText); batch \(options.batchSize), \(options.threads) thread\(options.threads == 1 ? "" : "s")\(options.ensemble > 1 ? "; ensemble of \(options.ensemble) members, trained one after another" : "")"
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
        let progress: [(String, H5AttributeValue)] = [
            ("epochs_completed", .int(Int64(epochsCompleted))),
            ("best_epoch", .int(Int64(bestEpoch))),
            ("best_val_acc", .double(bestValidationAccuracy.isFinite ? bestValidationAccuracy : .nan)),
        ]
        // Before any epoch completes (Ctrl-C in epoch 1) the kept weights are the current ones.
        let member = ModelMember(weights: history.records.isEmpty ? state.parameters : keptWeights,
                                 tunedEmbedding: history.records.isEmpty ? tuner?.table : keptEmbedding,
                                 history: history, checkpoint: state,
                                 attributes: options.ensemble > 1
                                     ? [("seed", .int(Int64(bitPattern: seed)))] + progress : [])
        if memberIndex < members.count { members[memberIndex] = member } else { members.append(member) }
        // A single model keeps its progress at the root (the layout before ensembles); members in their groups.
        try writeFile(singleModelAttributes: progress)
        checkpoint = state
        if let logPath = options.logPath {
            try group.agreeing {
                guard group.rank == 0 else { return }
                try TextOutput.write(options.ensemble > 1 ? TrainingHistory.csv(members: members.map(\.history)) : history.csv,
                                     to: logPath)
            }
        }
    }

    /// Writes `members` (a single model, or the ensemble's members begun so far).
    func writeFile(singleModelAttributes: [(String, H5AttributeValue)] = []) throws {
        // Rank 0 alone writes (every rank holds the same state); all agree on whether it worked.
        try group.agreeing {
            guard group.rank == 0 else { return }
            try writeFileOnThisRank(singleModelAttributes: singleModelAttributes)
        }
    }

    private func writeFileOnThisRank(singleModelAttributes: [(String, H5AttributeValue)]) throws {
        let model: ModelFile
        if options.ensemble == 1 {
            let member = members[0]
            model = ModelFile(config: config, tensors: network.parameters.tensors, weights: member.weights,
                              tunedEmbedding: member.tunedEmbedding, vocabulary: input.vocabulary.tokens,
                              vocabularyCounts: input.vocabulary.counts, labelNames: input.labelNames,
                              embedding: input.embedding, history: member.history, checkpoint: member.checkpoint,
                              provenance: provenance, attributes: runAttributes + singleModelAttributes)
        } else {
            let ensembleAttributes = ensembleValidationAccuracy.map { [("ensemble_val_acc", H5AttributeValue.double($0))] } ?? []
            model = ModelFile(config: config, tensors: network.parameters.tensors, members: members,
                              ensembleSize: options.ensemble, vocabulary: input.vocabulary.tokens,
                              vocabularyCounts: input.vocabulary.counts, labelNames: input.labelNames,
                              embedding: input.embedding, provenance: provenance,
                              attributes: runAttributes + ensembleAttributes)
        }
        try model.write(to: outputPath)
    }

    /// After the last member: the validation accuracy of the ensemble (the
    /// argmax of the mean of the members' capsule lengths, as capseval
    /// scores), logged beside each member's and stored as `ensemble_val_acc`.
    func scoreEnsemble(windowRows: Int) throws {
        guard let validation else {
            log("ensemble of \(members.count) members in \(outputPath) (no validation)")
            return
        }
        let scorer = try CapsuleNetwork(config: config, maxBatch: options.batchSize, seed: 0)
        var sum: [Float] = []
        var labels: [Int32] = []
        var memberAccuracies: [Double] = []
        for member in members {
            try scorer.parameters.set(contentsOf: member.weights)
            let table = try member.tunedEmbedding.map { tuned -> EmbeddingTuner in
                guard tuned.count == input.embedding.count else {
                    throw TrainingError.mismatch("\(outputPath): a member's tuned table has \(tuned.count) values, expected \(input.embedding.count)")
                }
                return EmbeddingTuner(table: tuned, dimension: input.dim)
            }
            let scored = try validation.lengths(network: scorer, tuner: options.fineTuneEmbeddings ? table : nil,
                                                batchSize: options.batchSize, windowRows: windowRows)
            memberAccuracies.append(try Self.accuracy(scored.lengths, labels: scored.labels, classes: config.classes))
            if sum.isEmpty {
                sum = scored.lengths
                labels = scored.labels
            } else {
                for i in sum.indices { sum[i] += scored.lengths[i] }
            }
        }
        let k = Float(members.count)
        let accuracy = try Self.accuracy(sum.map { $0 / k }, labels: labels, classes: config.classes)
        ensembleValidationAccuracy = accuracy
        try writeFile()
        let each = memberAccuracies.map { fixed(100 * $0, 2) + "%" }.joined(separator: ", ")
        log("ensemble of \(members.count) members: validation accuracy \(fixed(100 * accuracy, 2))% from the mean capsule lengths (members: \(each)) in \(outputPath)")
    }

    /// Share of rows whose longest capsule is the label's.
    static func accuracy(_ lengths: [Float], labels: [Int32], classes: Int) throws -> Double {
        let predictions = try CapsuleLengths(values: lengths, classCount: classes).predictions()
        let correct = zip(predictions, labels).filter { $0 == Int($1) }.count
        return Double(correct) / Double(max(labels.count, 1))
    }
}
