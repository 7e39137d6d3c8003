import CapsArtifacts
import CapsCore
import CapsNet
import CapsStorage
#if canImport(Glibc)
import Glibc
#endif

/// The `capsfit` training loop: epochs of shuffled batches through a
/// `CapsuleNetwork` with Adam, validation, best-epoch selection, a
/// checkpoint after every epoch, Ctrl-C handling and exact resume.
///
/// Determinism: initial weights come from `seed`; the shuffle of epoch e is a
/// function of (seed, e) and the dropout mask of batch k of epoch e a
/// function of (seed, e, k). So the same data, seed and thread count give the
/// same weights bit for bit, and a resumed run continues the same streams.
public final class Trainer {
    /// Rows per contiguous read of `/x` (a multiple of the writer's chunk rows).
    static let blockRows = 256

    public let inputPath: String
    public let outputPath: String
    public private(set) var options: TrainingOptions
    public let config: CapsNetConfig
    let input: EmbeddedFile
    let labels: [Int32]
    let network: CapsuleNetwork
    let adam: Adam
    let tuner: EmbeddingTuner?
    /// The averaged weights that are validated and kept, with `--average-decay`.
    let average: WeightAverage?
    let trainRows: [Int]
    let validation: ValidationSet?
    var history: TrainingHistory
    var checkpoint: Checkpoint?
    /// Kept weights (best epoch so far, or last) and the fine-tuned table that goes with them.
    var keptWeights: [Float]
    var keptEmbedding: [Float]?
    var bestValidationAccuracy = -Double.infinity
    var bestEpoch = 0
    /// Who writes the model file.
    let provenance: Provenance
    /// The input, options and data settings recorded in the model file.
    let runAttributes: [(String, H5AttributeValue)]
    /// Where log lines go (stderr in the tool).
    public var log: (String) -> Void = { _ in }
    /// Whether progress bars are drawn (nil: when stderr is a terminal).
    public var interactiveProgress: Bool? = nil

    /// Prepares a run: `config`'s classes, max_len and dim are taken from the
    /// data; with `resumeFrom`, the configuration, options (except epochs,
    /// threads and log) and state come from that model file.
    public init(inputPath: String, outputPath: String, config requested: CapsNetConfig, options requestedOptions: TrainingOptions,
                resumeFrom resumePath: String? = nil, commandLine: String) throws {
        self.inputPath = inputPath
        self.outputPath = outputPath
        input = try EmbeddedFile(path: inputPath)
        labels = try Trainer.checkedLabels(of: input)
        let inputDigest = try SHA256.hexDigest(ofFileAt: inputPath)

        var options = requestedOptions
        var config = requested
        var resumed: ModelFile?
        if let resumePath {
            let model = try ModelFile.read(from: resumePath, withCheckpoint: true)
            guard model.checkpoint != nil else {
                throw TrainingError.mismatch("\(resumePath): has no /checkpoint to resume from")
            }
            if let digest = model.attribute("input_sha256")?.stringValue, digest != inputDigest {
                throw TrainingError.mismatch("\(resumePath) was trained on data with SHA-256 \(digest.prefix(12))…, but \(inputPath) has \(inputDigest.prefix(12))…; resume needs the same input")
            }
            config = model.config
            options = try Trainer.storedOptions(of: model, path: resumePath, overriding: requestedOptions)
            resumed = model
        } else {
            config.classes = input.labelNames.count
            config.maxLength = input.maxLength
            config.dimension = input.dim
        }
        try Trainer.check(config: config, against: input, modelPath: resumePath)
        self.config = config
        self.options = options
        try Trainer.validate(options)

        // Rows: a stratified, seeded validation split, or a separate file.
        switch options.validation {
        case .none:
            trainRows = Array(0..<input.count)
            validation = nil
        case .split(let fraction):
            let split = StratifiedSplit(labels: labels, fraction: fraction, seed: options.seed &+ 0x5EED)
            trainRows = split.kept
            validation = ValidationSet(input: input, labels: labels, rows: split.heldOut)
        case .file(let path):
            let other = try EmbeddedFile(path: path)
            try Trainer.check(config: config, against: other, modelPath: nil, role: "validation file")
            guard other.labelNames == input.labelNames else {
                throw TrainingError.mismatch("\(path): label names \(other.labelNames) differ from \(inputPath)'s \(input.labelNames)")
            }
            trainRows = Array(0..<input.count)
            validation = ValidationSet(input: other, labels: try Trainer.checkedLabels(of: other), rows: Array(0..<other.count))
        }
        guard trainRows.count >= options.batchSize else {
            throw TrainingError.tooFewRows(path: inputPath, rows: trainRows.count, batch: options.batchSize)
        }

        ComputeThreads.set(options.threads)
        network = try CapsuleNetwork(config: config, maxBatch: options.batchSize, seed: options.seed)
        adam = Adam(parameterCount: network.parameters.count, learningRate: options.learningRate,
                    beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon, weightDecay: options.weightDecay)
        tuner = options.fineTuneEmbeddings ? EmbeddingTuner(table: input.embedding, dimension: input.dim, update: options.embeddingUpdate) : nil
        average = options.averageDecay > 0 ? WeightAverage(decay: options.averageDecay, network: network, tuner: tuner) : nil
        history = TrainingHistory()
        keptWeights = network.parameters.allValues()
        keptEmbedding = tuner?.table

        if let resumed, let state = resumed.checkpoint {
            try network.parameters.set(contentsOf: state.parameters)
            try adam.restore(step: state.adamStep, firstMoment: state.adamFirstMoment, secondMoment: state.adamSecondMoment)
            if let tuner {
                guard let table = state.embeddingTable, let m = state.embeddingFirstMoment, let v = state.embeddingSecondMoment,
                      table.count == tuner.table.count else {
                    throw TrainingError.mismatch("\(resumePath!): the checkpoint has no fine-tuned embedding table of \(tuner.rows)×\(tuner.dimension)")
                }
                tuner.restore(table: table, firstMoment: m, secondMoment: v)
            }
            if let average {
                guard let parameters = state.averageParameters, parameters.count == network.parameters.count,
                      (state.averageEmbedding?.count ?? 0) == (tuner?.table.count ?? 0) else {
                    throw TrainingError.mismatch("\(resumePath!): the checkpoint has no averaged weights of the expected size")
                }
                average.restore(parameters: parameters, embedding: state.averageEmbedding)
            }
            history = resumed.history
            keptWeights = resumed.weights
            keptEmbedding = resumed.tunedEmbedding ?? tuner?.table
            bestValidationAccuracy = state.bestValidationAccuracy
            bestEpoch = state.bestEpoch
            checkpoint = state
        }

        provenance = Provenance(tool: "capsfit", command: commandLine)
        var attributes: [(String, H5AttributeValue)] = [
            ("input", .string(inputPath)), ("input_sha256", .string(inputDigest)),
        ]
        attributes += Trainer.optionAttributes(options)
        // The data's own provenance (tokenizer options, vectors…), so a model can embed raw text alone.
        for name in input.attributes.keys.sorted() { attributes.append(("data_" + name, input.attributes[name]!)) }
        runAttributes = attributes
    }

    // MARK: - The loop

    /// Trains until `options.epochs` epochs are complete, writing the model
    /// file after each; returns the history.
    @discardableResult
    public func run() throws -> TrainingHistory {
        let windowRows = min(max(options.shuffleBufferRows, Trainer.blockRows), input.count)
        let source = BatchSource(input: input, labels: labels, batchSize: options.batchSize,
                                 windowRows: windowRows, tuner: tuner)
        // d loss / d x [B, L, D], needed only to fine-tune the embedding table.
        var inputGradient = [Float](repeating: 0, count: tuner == nil ? 0 : options.batchSize * network.sampleSize)
        var wordDropout = options.wordDropout > 0
            ? WordDropout(probability: options.wordDropout, batchSize: options.batchSize,
                          maxLength: input.maxLength, dimension: input.dim)
            : nil
        var inputDropout = options.inputDropout > 0
            ? InputDropout(probability: options.inputDropout, batchSize: options.batchSize, sampleSize: network.sampleSize)
            : nil
        let firstEpoch = (checkpoint?.epochsCompleted ?? 0) + 1
        if firstEpoch > options.epochs {
            log("\(outputPath): already trained for \(firstEpoch - 1) epochs (--epochs \(options.epochs)); nothing to do")
            return history
        }
        log(summaryLine())
        for epoch in firstEpoch...options.epochs {
            let plan = EpochPlan(rows: trainRows, rowCount: input.count, blockRows: Trainer.blockRows,
                                 windowRows: windowRows, batchSize: options.batchSize, seed: options.seed, epoch: epoch)
            let resumeAt = epoch == firstEpoch ? (checkpoint?.batchesDone ?? 0) : 0
            var sums = resumeAt > 0 ? (checkpoint?.epochSums ?? EpochSums()) : EpochSums()
            let learningRate = options.learningRateSchedule.rate(epoch: epoch, base: options.learningRate,
                                                                 decay: options.learningRateDecay,
                                                                 history: history.records)
            adam.learningRate = learningRate
            let progress = ProgressReporter(label: "epoch \(epoch)/\(options.epochs)", total: trainRows.count,
                                            unit: "samples", interactive: interactiveProgress)
            progress.advance(by: sums.samples)
            let started = ProgressReporter.monotonicSeconds()
            var batchIndex = 0
            for window in plan.windows {
                let batches = plan.batches(in: window)
                if batchIndex + batches.count <= resumeAt { batchIndex += batches.count; continue }
                try source.load(window.ranges)
                for rows in batches {
                    batchIndex += 1
                    if batchIndex <= resumeAt { continue }
                    source.fill(rows)
                    network.dropoutGenerator = batchGenerator(0xD809_0000_0000, epoch: epoch, batch: batchIndex)
                    if wordDropout != nil {
                        var generator = batchGenerator(0x3D09_0000_0000, epoch: epoch, batch: batchIndex)
                        source.withMutableBatch { wordDropout!.apply(to: $0, batch: rows.count, generator: &generator) }
                    }
                    if inputDropout != nil {
                        var generator = batchGenerator(0x1D09_0000_0000, epoch: epoch, batch: batchIndex)
                        source.withMutableBatch {
                            inputDropout!.apply(to: $0, count: rows.count * network.sampleSize, generator: &generator)
                        }
                    }
                    let result = try source.x.withUnsafeBufferPointer { x in
                        try source.batchLabels.withUnsafeBufferPointer { y in
                            try inputGradient.withUnsafeMutableBufferPointer { g in
                                try network.trainStep(x: x.baseAddress!, labels: y.baseAddress!, batch: rows.count,
                                                      inputGradient: tuner == nil ? nil : g.baseAddress!)
                            }
                        }
                    }
                    guard result.loss.isFinite else {
                        throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batchIndex, kept: keptDescription())
                    }
                    adam.update(network.parameters)
                    if let tuner {
                        inputDropout?.backward(&inputGradient)
                        inputGradient.withUnsafeBufferPointer {
                            tuner.accumulate(ids: input.ids, maxLength: input.maxLength, rows: rows, dx: $0.baseAddress!,
                                             skipping: wordDropout?.blanked)
                        }
                        tuner.update(learningRate: learningRate, beta1: options.beta1, beta2: options.beta2,
                                     epsilon: options.epsilon, step: adam.step)
                    }
                    average?.update(network: network, tuner: tuner, step: adam.step)
                    let n = Double(rows.count)
                    sums.loss += Double(result.loss) * n
                    sums.marginLoss += Double(result.marginLoss) * n
                    sums.reconstructionLoss += Double(result.reconstructionLoss) * n
                    sums.correct += result.correct
                    sums.samples += rows.count
                    progress.advance(by: rows.count, status: "loss \(fixed(sums.loss / Double(sums.samples), 4))")
                    if let signal = InterruptFlag.signal {
                        progress.finish()
                        sums.seconds += ProgressReporter.monotonicSeconds() - started
                        try writeModel(epochsCompleted: epoch - 1, batchesDone: batchIndex, learningRate: learningRate,
                                       epochSums: sums)
                        throw TrainingError.interrupted(signal: InterruptFlag.name(of: signal), epoch: epoch,
                                                        batch: batchIndex, batches: plan.batchCount,
                                                        resume: resumeCommand())
                    }
                }
            }
            progress.finish()
            let seconds = sums.seconds + ProgressReporter.monotonicSeconds() - started
            let trained = Double(sums.samples)
            var record = EpochRecord(epoch: epoch, loss: sums.loss / trained, marginLoss: sums.marginLoss / trained,
                                     reconstructionLoss: config.hasDecoder ? sums.reconstructionLoss / trained : nil,
                                     trainAccuracy: Double(sums.correct) / trained,
                                     learningRate: Double(learningRate), seconds: seconds,
                                     samplesPerSecond: Double(trainRows.count) / max(seconds, 1e-9))
            if let validation {
                let evaluate = {
                    try validation.evaluate(network: self.network, tuner: self.tuner, batchSize: self.options.batchSize,
                                            windowRows: windowRows)
                }
                let result = try average.map { try $0.withAveragedWeights(in: network, tuner: tuner, evaluate) } ?? evaluate()
                record.validationLoss = result.loss
                record.validationAccuracy = result.accuracy
            }
            history.records.append(record)
            updateKept(record)
            log(record.logLine(totalEpochs: options.epochs))
            try writeModel(epochsCompleted: epoch, batchesDone: 0, learningRate: learningRate, epochSums: EpochSums())
        }
        if options.keep == .best, bestEpoch > 0 {
            log("kept epoch \(bestEpoch) (best validation accuracy \(fixed(100 * bestValidationAccuracy, 2))%) in \(outputPath)")
        } else {
            log("kept the last epoch in \(outputPath)")
        }
        return history
    }

    /// The generator of one random purpose (dropout, word or input dropout) for
    /// batch `batch` of epoch `epoch`: a function of (seed, purpose, epoch,
    /// batch) only, so a resumed run draws the same masks.
    func batchGenerator(_ purpose: UInt64, epoch: Int, batch: Int) -> SeededGenerator {
        SeededGenerator(seed: options.seed).derived(purpose &+ (UInt64(epoch) << 24) &+ UInt64(batch))
    }
}
