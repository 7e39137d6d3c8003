import CapsArtifacts
import CapsCore
import CapsMPI
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
///
/// Ensembles (`--ensemble K`): the members are trained one after another,
/// each exactly as a single model of seed `options.memberSeed(k)` (member 1:
/// `--seed` itself), with its own validation, best epoch, history and
/// checkpoint, on the same training and validation rows. One after another
/// rather than in lockstep because the members share nothing a lockstep
/// could save — each has its own shuffle, so no batch is read once for all —
/// while lockstep would hold K networks' workspaces and Adam states in memory
/// at once; sequentially, one network trains at a time, member k is
/// bit-identical to the single model of its seed by construction, and a
/// resume needs only (member, epoch, batch). After the last member, the
/// ensemble (mean of the members' capsule lengths) is scored on the
/// validation rows.
public final class Trainer {
    /// Rows per contiguous read of `/x` (a multiple of the writer's chunk rows).
    static let blockRows = 256

    public let inputPath: String
    public let outputPath: String
    public private(set) var options: TrainingOptions
    /// Why `options.batchSize` is smaller than asked (printed in the log), if it is.
    private(set) var batchClampNote: String?
    /// The margin loss's class weights [C] (`--class-weights`), nil for none.
    let classWeightValues: [Float]?
    /// Multi-label: every class of each row of the input (nil: single-label).
    let labelSets: [[Int32]]?
    public let config: CapsNetConfig
    let input: EmbeddedFile
    let labels: [Int32]
    let trainRows: [Int]
    let validation: ValidationSet?
    /// The file resumed from, named in errors.
    let resumePath: String?
    /// The processes training together: one, or the ranks of an mpirun job,
    /// each taking its share of every batch; rank 0 alone writes files.
    public let group: ProcessGroup

    // The member in training (the model itself when K = 1) and its state.
    /// 0-based index of the member in training.
    private(set) var memberIndex = 0
    /// The member's seed: initial weights, shuffles and dropout masks (`options.memberSeed`).
    private(set) var seed: UInt64
    private(set) var network: CapsuleNetwork
    private(set) var adam: Adam
    private(set) var tuner: EmbeddingTuner?
    /// The averaged weights that are validated and kept, with `--average-decay`.
    private(set) var average: WeightAverage?
    var history: TrainingHistory
    var checkpoint: Checkpoint?
    /// Kept weights (best epoch so far, or last) and the fine-tuned table that goes with them.
    var keptWeights: [Float]
    var keptEmbedding: [Float]?
    var bestValidationAccuracy = -Double.infinity
    var bestEpoch = 0

    /// Every member begun so far as the model file stores it: the finished
    /// ones, the one in training as of its last write, and (when a resumed
    /// run trains further than before) stored members still to continue.
    var members: [ModelMember] = []
    /// Validation accuracy of the ensemble's mean capsule lengths, once every member is trained.
    var ensembleValidationAccuracy: Double?
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
                resumeFrom resumePath: String? = nil, commandLine: String, group: ProcessGroup = .single) throws {
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.group = group
        input = try EmbeddedFile(path: inputPath)
        guard input.count > 0 else { throw EmptyInputError(input: inputPath) }
        labels = try Trainer.checkedLabels(of: input)
        // Only the writer records (and checks) the input's digest: the other ranks would read the whole file for nothing.
        let inputDigest = group.rank == 0 ? try SHA256.hexDigest(ofFileAt: inputPath) : ""

        self.resumePath = resumePath
        var options = requestedOptions
        var config = requested
        var resumed: ModelFile?
        if let resumePath {
            let model = try ModelFile.read(from: resumePath, withCheckpoint: true)
            if let missing = model.members.firstIndex(where: { $0.checkpoint == nil }) {
                let group = model.isEnsemble ? ModelFile.memberGroup(missing) + "/checkpoint" : "/checkpoint"
                let slim = model.attribute(ModelExporter.scoringModelAttribute) != nil
                    ? " (a scoring copy written by capsexport --format model; resume from the file capsfit wrote)" : ""
                throw TrainingError.mismatch("\(resumePath): has no \(group) to resume from\(slim)")
            }
            if group.rank == 0, let digest = model.attribute("input_sha256")?.stringValue, digest != inputDigest {
                throw TrainingError.mismatch("\(resumePath) was trained on data with SHA-256 \(digest.prefix(12))…, but \(inputPath) has \(inputDigest.prefix(12))…; resume needs the same input")
            }
            config = model.config
            options = try Trainer.storedOptions(of: model, path: resumePath, overriding: requestedOptions)
            resumed = model
        } else {
            config.classes = input.labelNames.count
            config.maxLength = input.maxLength
            config.dimension = input.dim
            // Lexical capsules read the file's lexical view when it has one (tokenize --lexical-len).
            config.lexicalLength = config.hasLexicalCapsules ? input.lexicalLength : 0
        }
        try Trainer.check(config: config, against: input, modelPath: resumePath)
        self.config = config
        self.options = options
        try Trainer.validate(options)

        // Multi-label when asked, or when the data has a document with several labels.
        if input.allLabels != nil && !options.multiLabel {
            options.multiLabel = true
            self.options = options
        }
        labelSets = options.multiLabel ? Trainer.labelSets(of: input, first: labels) : nil
        if options.multiLabel && config.hasDecoder {
            throw TrainingError.invalidOption("multi-label training needs --lam-recon 0: the decoder reconstructs from one class capsule per document (the default configuration has none)")
        }
        if options.multiLabel && options.classWeights != ClassWeights.none {
            throw TrainingError.invalidOption("--class-weights weighs a document by its one class; it is not defined for multi-label data")
        }

        // Rows: a stratified, seeded validation split, or a separate file.
        switch options.validation {
        case .none:
            trainRows = Array(0..<input.count)
            validation = nil
        case .split(let fraction):
            let split = StratifiedSplit(labels: labels, fraction: fraction, seed: options.seed &+ 0x5EED)
            trainRows = split.kept
            validation = ValidationSet(input: input, labels: labels, rows: split.heldOut, labelSets: labelSets)
        case .file(let path):
            let other = try EmbeddedFile(path: path)
            guard other.count > 0 else { throw EmptyInputError(input: path) }
            try Trainer.check(config: config, against: other, modelPath: nil, role: "validation file")
            guard other.labelNames == input.labelNames else {
                throw TrainingError.mismatch("\(path): label names \(other.labelNames) differ from \(inputPath)'s \(input.labelNames)")
            }
            trainRows = Array(0..<input.count)
            let otherLabels = try Trainer.checkedLabels(of: other)
            validation = ValidationSet(input: other, labels: otherLabels, rows: Array(0..<other.count),
                                       labelSets: labelSets == nil ? nil : Trainer.labelSets(of: other, first: otherLabels))
        }
        guard !trainRows.isEmpty else { throw TrainingError.noTrainingRows(path: inputPath) }
        // Under mpirun --batch is each rank's share: the global batch is K of them (stored as used, so --resume keeps it).
        if group.size > 1 && resumePath == nil {
            options.batchSize *= group.size
            self.options = options
        }
        // A batch larger than the data is the whole data, as in every framework;
        // the stored option says what was used, so --resume trains alike.
        if trainRows.count < options.batchSize {
            batchClampNote = "--batch \(options.batchSize) is more than the \(trainRows.count) training rows; using batches of \(trainRows.count)"
            options.batchSize = trainRows.count
            self.options = options
        }
        let allLabels = labels, rows = trainRows
        let weights = try ClassWeights.resolve(options.classWeights, labels: rows.map { allLabels[$0] }, names: input.labelNames)
        if let resumed, let stored = Trainer.storedClassWeights(of: resumed), stored != weights ?? [] {
            throw TrainingError.mismatch("--class-weights \(options.classWeights): gives \(weights ?? []), but \(resumePath!) was trained with \(stored); resume needs the same weights")
        }
        classWeightValues = weights

        ComputeThreads.set(options.threads)
        if let resumed, resumed.ensembleSize != options.ensemble || resumed.members.count > options.ensemble {
            throw TrainingError.mismatch("\(resumePath!): holds \(resumed.members.count) of \(resumed.ensembleSize) members, but its options say --ensemble \(options.ensemble)")
        }
        members = resumed?.members ?? []
        // The first member still to train: a stored one not yet at `epochs` (or
        // cut inside an epoch), else the next new one; when all are done, the last.
        let unfinished = members.firstIndex {
            guard let state = $0.checkpoint else { return true }
            return !options.isFinished(epochsCompleted: state.epochsCompleted, bestEpoch: state.bestEpoch)
                || state.batchesDone > 0
        }
        memberIndex = unfinished ?? min(members.count, options.ensemble - 1)
        seed = options.memberSeed(memberIndex + 1)
        (network, adam, tuner, average) = try Trainer.memberState(config: config, options: options, input: input, seed: seed,
                                                                   classWeights: classWeightValues)
        history = TrainingHistory()
        keptWeights = network.parameters.allValues()
        keptEmbedding = tuner?.table
        provenance = Provenance(tool: "capsfit", command: commandLine)

        var attributes: [(String, H5AttributeValue)] = [
            ("input", .string(inputPath)), ("input_sha256", .string(inputDigest)),
        ]
        attributes += Trainer.optionAttributes(options)
        if group.size > 1 { attributes.append(("mpi_ranks", .int(Int64(group.size)))) }
        if let weights = classWeightValues { attributes.append((ClassWeights.attribute, .doubles(weights.map(Double.init)))) }
        // The data's own provenance (tokenizer options, vectors…), so a model can embed raw text alone.
        for name in input.attributes.keys.sorted() { attributes.append(("data_" + name, input.attributes[name]!)) }
        runAttributes = attributes
        if memberIndex < members.count { try restore(from: members[memberIndex]) }
    }

    /// Every label of each row: the file's label lists, or its one label per row.
    static func labelSets(of input: EmbeddedFile, first labels: [Int32]) -> [[Int32]] {
        guard let lists = input.allLabels else { return labels.map { [$0] } }
        return (0..<input.count).map { Array(lists[$0]) }
    }

    /// The class weights a model was trained with, if it stored any.
    static func storedClassWeights(of model: ModelFile) -> [Float]? {
        switch model.attribute(ClassWeights.attribute) {
        case .doubles(let values)?: return values.map(Float.init)
        case .double(let value)?: return [Float(value)]
        default: return nil
        }
    }

    /// A fresh network, optimiser, tuned table and average for a member of seed `seed`.
    static func memberState(config: CapsNetConfig, options: TrainingOptions, input: EmbeddedFile, seed: UInt64,
                            classWeights: [Float]?) throws
        -> (CapsuleNetwork, Adam, EmbeddingTuner?, WeightAverage?) {
        let network = try CapsuleNetwork(config: config, maxBatch: options.batchSize, seed: seed)
        network.marginLoss.classWeights = classWeights
        let adam = Adam(parameterCount: network.parameters.count, learningRate: options.learningRate,
                        beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon, weightDecay: options.weightDecay)
        let tuner = options.fineTuneEmbeddings
            ? EmbeddingTuner(table: input.embedding, dimension: input.dim, update: options.embeddingUpdate) : nil
        let average = options.averageDecay > 0
            ? WeightAverage(decay: options.averageDecay, network: network, tuner: tuner) : nil
        return (network, adam, tuner, average)
    }

    /// Makes member `index` (0-based) the one in training: a fresh state from
    /// its seed, then its stored state when the resumed file holds it.
    func beginMember(_ index: Int) throws {
        memberIndex = index
        seed = options.memberSeed(index + 1)
        (network, adam, tuner, average) = try Trainer.memberState(config: config, options: options, input: input, seed: seed,
                                                                   classWeights: classWeightValues)
        history = TrainingHistory()
        checkpoint = nil
        keptWeights = network.parameters.allValues()
        keptEmbedding = tuner?.table
        bestValidationAccuracy = -Double.infinity
        bestEpoch = 0
        if index < members.count { try restore(from: members[index]) }
    }

    /// Continues a stored member: its checkpoint, history and kept weights.
    func restore(from member: ModelMember) throws {
        guard let state = member.checkpoint else { return }
        let source = resumePath ?? outputPath
        let name = options.ensemble > 1 ? "member \(memberIndex + 1)'s checkpoint" : "the checkpoint"
        try network.parameters.set(contentsOf: state.parameters)
        try adam.restore(step: state.adamStep, firstMoment: state.adamFirstMoment, secondMoment: state.adamSecondMoment)
        if let tuner {
            guard let table = state.embeddingTable, let m = state.embeddingFirstMoment, let v = state.embeddingSecondMoment,
                  table.count == tuner.table.count else {
                throw TrainingError.mismatch("\(source): \(name) has no fine-tuned embedding table of \(tuner.rows)×\(tuner.dimension)")
            }
            tuner.restore(table: table, firstMoment: m, secondMoment: v)
        }
        if let average {
            guard let parameters = state.averageParameters, parameters.count == network.parameters.count,
                  (state.averageEmbedding?.count ?? 0) == (tuner?.table.count ?? 0) else {
                throw TrainingError.mismatch("\(source): \(name) has no averaged weights of the expected size")
            }
            average.restore(parameters: parameters, embedding: state.averageEmbedding)
        }
        history = member.history
        keptWeights = member.weights
        keptEmbedding = member.tunedEmbedding ?? tuner?.table
        bestValidationAccuracy = state.bestValidationAccuracy
        bestEpoch = state.bestEpoch
        checkpoint = state
    }

    // MARK: - The loop

    /// Trains until `options.epochs` epochs are complete, writing the model
    /// file after each; returns the history.
    @discardableResult
    public func run() throws -> TrainingHistory {
        let windowRows = min(max(options.shuffleBufferRows, Trainer.blockRows), input.count)
        let count = options.ensemble
        let done = checkpoint?.epochsCompleted ?? 0
        if memberIndex == count - 1 && memberFinished {
            let why = done >= options.epochs ? "--epochs \(options.epochs)" : "stopped early, --patience \(options.patience)"
            log(count == 1
                ? "\(outputPath): already trained for \(done) epochs (\(why)); nothing to do"
                : "\(outputPath): all \(count) members already trained\(done >= options.epochs ? " for \(done) epochs" : " (the last for \(done) epochs)") (\(why)); nothing to do")
            return count == 1 ? history : members[0].history
        }
        if let batchClampNote { log("capsfit: note: \(batchClampNote)") }
        if let labelSets {
            let labelled = labelSets.reduce(0) { $0 + $1.count }
            log("capsfit: multi-label\(input.allLabels != nil ? " (the data has documents with several labels)" : " (--multi-label)"): \(fixed(Double(labelled) / Double(max(labelSets.count, 1)), 2)) labels per document; the margin loss over every label, validation by micro-F1 at length \(ValidationSet.multiLabelThreshold) (the 'val acc' column)")
        }
        log(summaryLine())
        for index in memberIndex..<count {
            if index != memberIndex { try beginMember(index) }
            try trainMember(windowRows: windowRows)
        }
        guard count > 1 else { return history }
        try scoreEnsemble(windowRows: windowRows)
        return members[0].history
    }

    /// The histories of every member begun so far (one for a single model).
    public var memberHistories: [TrainingHistory] {
        options.ensemble == 1 ? [history] : members.map(\.history)
    }

    /// "member 2/3 " in an ensemble's lines, "" for a single model.
    var memberLabel: String {
        options.ensemble > 1 ? "member \(memberIndex + 1)/\(options.ensemble) " : ""
    }

    /// Whether the current member trains no further: every epoch done, or
    /// stopped early by `--patience` (and not cut inside an epoch).
    var memberFinished: Bool {
        guard let checkpoint else { return false }
        return checkpoint.batchesDone == 0
            && options.isFinished(epochsCompleted: checkpoint.epochsCompleted, bestEpoch: checkpoint.bestEpoch)
    }

    /// Trains the current member until `options.epochs` epochs are complete
    /// or `--patience` epochs pass without a new best validation accuracy.
    func trainMember(windowRows: Int) throws {
        let firstEpoch = (checkpoint?.epochsCompleted ?? 0) + 1
        if options.ensemble > 1 {
            let state = memberFinished ? "already trained for \(firstEpoch - 1) epochs"
                : firstEpoch > 1 || (checkpoint?.batchesDone ?? 0) > 0 ? "continuing at epoch \(firstEpoch)" : "starting"
            log("\(memberLabel)(seed \(seed)): \(state)")
        }
        if memberFinished || firstEpoch > options.epochs { return }
        let source = BatchSource(input: input, labels: labels, batchSize: options.batchSize,
                                 windowRows: windowRows, tuner: tuner, labelSets: labelSets,
                                 lexicalLength: network.config.lexicalLength)
        // With --thread-split batch, each thread trains its slice of every batch on a replica.
        let steps = try DataParallelSteps(network: network, threads: options.threadSplit == .batch ? options.threads : 1,
                                          group: group)
        // d loss / d x [B, L, D], needed only to fine-tune the embedding table.
        var inputGradient = [Float](repeating: 0, count: tuner == nil ? 0 : options.batchSize * network.sampleSize)
        var wordDropout = options.wordDropout > 0
            ? WordDropout(probability: options.wordDropout, batchSize: options.batchSize,
                          maxLength: input.maxLength, dimension: input.dim)
            : nil
        var inputDropout = options.inputDropout > 0
            ? InputDropout(probability: options.inputDropout, batchSize: options.batchSize, sampleSize: network.sampleSize)
            : nil
        for epoch in firstEpoch...options.epochs {
            let plan = EpochPlan(rows: trainRows, rowCount: input.count, blockRows: Trainer.blockRows,
                                 windowRows: windowRows, batchSize: options.batchSize, seed: seed, epoch: epoch)
            let resumeAt = epoch == firstEpoch ? (checkpoint?.batchesDone ?? 0) : 0
            var sums = resumeAt > 0 ? (checkpoint?.epochSums ?? EpochSums()) : EpochSums()
            let learningRate = options.learningRateSchedule.rate(epoch: epoch, base: options.learningRate,
                                                                 decay: options.learningRateDecay,
                                                                 history: history.records)
            adam.learningRate = learningRate
            // The bucket table follows the same schedule from its own base rate.
            adam.rowSparseLearningRate = options.lexicalLearningRate * (learningRate / options.learningRate)
            let progress = ProgressReporter(label: "\(memberLabel)epoch \(epoch)/\(options.epochs)", total: trainRows.count,
                                            unit: "samples", interactive: group.rank == 0 ? interactiveProgress : false,
                                            sink: group.rank == 0 ? nil : { _ in })
            progress.advance(by: sums.samples)
            let started = ProgressReporter.monotonicSeconds()
            var batchIndex = 0
            for window in plan.windows {
                let batches = plan.batches(in: window)
                if batchIndex + batches.count <= resumeAt { batchIndex += batches.count; continue }
                // Under MPI a rank reads only its share of each batch (`localRows`) from /x.
                let share = { (rows: ArraySlice<Int>) -> ArraySlice<Int> in
                    let local = steps.localRows(ofBatch: rows.count)
                    return rows[(rows.startIndex + local.lowerBound)..<(rows.startIndex + local.upperBound)]
                }
                try source.load(window.ranges, only: group.size > 1 ? batches.flatMap(share) : nil)
                for rows in batches {
                    batchIndex += 1
                    if batchIndex <= resumeAt { continue }
                    let held = steps.localRows(ofBatch: rows.count)
                    let localRows = share(rows)
                    source.fill(localRows)
                    network.dropoutGenerator = batchGenerator(0xD809_0000_0000, epoch: epoch, batch: batchIndex)
                    if wordDropout != nil {
                        var generator = batchGenerator(0x3D09_0000_0000, epoch: epoch, batch: batchIndex)
                        source.withMutableBatch {
                            wordDropout!.apply(to: $0, batch: rows.count, rows: held, generator: &generator)
                        }
                    }
                    if inputDropout != nil {
                        var generator = batchGenerator(0x1D09_0000_0000, epoch: epoch, batch: batchIndex)
                        let S = network.sampleSize
                        source.withMutableBatch {
                            inputDropout!.apply(to: $0, count: rows.count * S, values: (held.lowerBound * S)..<(held.upperBound * S),
                                                generator: &generator)
                        }
                    }
                    let result = try source.x.withUnsafeBufferPointer { x in
                        try source.batchLabels.withUnsafeBufferPointer { y in
                            try source.tokens.withUnsafeBufferPointer { tokens in
                                try inputGradient.withUnsafeMutableBufferPointer { g in
                                    try source.withTargets { targets in
                                        try steps.trainStep(x: x.baseAddress!, labels: y.baseAddress!, batch: rows.count,
                                                              tokens: tokens.baseAddress!,
                                                              inputGradient: tuner == nil ? nil : g.baseAddress!,
                                                              targets: targets)
                                    }
                                }
                            }
                        }
                    }
                    guard result.loss.isFinite else {
                        throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batchIndex, kept: keptDescription(),
                                                      member: options.ensemble > 1 ? memberLabel : nil)
                    }
                    adam.update(network.parameters)
                    if let tuner {
                        inputDropout?.backward(&inputGradient)
                        inputGradient.withUnsafeBufferPointer {
                            tuner.accumulate(ids: input.ids, maxLength: input.maxLength, rows: localRows, dx: $0.baseAddress!,
                                             skipping: wordDropout?.blanked)
                        }
                        tuner.sumGradientAcrossRanks(group)
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
                    // Every rank stops after the same batch: the first signal seen on any rank ends the step for all.
                    if group.any(InterruptFlag.signal != nil) {
                        let signal = InterruptFlag.signal ?? SIGTERM
                        progress.finish()
                        sums.seconds += ProgressReporter.monotonicSeconds() - started
                        try writeModel(epochsCompleted: epoch - 1, batchesDone: batchIndex, learningRate: learningRate,
                                       epochSums: sums)
                        throw TrainingError.interrupted(signal: InterruptFlag.name(of: signal), epoch: epoch,
                                                        batch: batchIndex, batches: plan.batchCount,
                                                        resume: resumeCommand(),
                                                        member: options.ensemble > 1 ? memberLabel : nil)
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
                                            windowRows: windowRows, group: self.group)
                }
                let result = try average.map { try $0.withAveragedWeights(in: network, tuner: tuner, evaluate) } ?? evaluate()
                record.validationLoss = result.loss
                record.validationAccuracy = result.accuracy
            }
            history.records.append(record)
            try checkRanksAgree(epoch: epoch)
            updateKept(record)
            log(memberLabel + record.logLine(totalEpochs: options.epochs))
            try writeModel(epochsCompleted: epoch, batchesDone: 0, learningRate: learningRate, epochSums: EpochSums())
            if epoch < options.epochs && options.isFinished(epochsCompleted: epoch, bestEpoch: bestEpoch) {
                log("\(memberLabel)stopped early after epoch \(epoch): no better validation accuracy for \(options.patience) epoch\(options.patience == 1 ? "" : "s") (--patience)")
                break
            }
        }
        if options.keep == .best, bestEpoch > 0 {
            log("\(memberLabel)kept epoch \(bestEpoch) (best validation accuracy \(fixed(100 * bestValidationAccuracy, 2))%) in \(outputPath)")
        } else {
            log("\(memberLabel)kept the last epoch in \(outputPath)")
        }
    }

    /// The generator of one random purpose (dropout, word or input dropout) for
    /// batch `batch` of epoch `epoch`: a function of (the member's seed,
    /// purpose, epoch, batch) only, so a resumed run draws the same masks.
    func batchGenerator(_ purpose: UInt64, epoch: Int, batch: Int) -> SeededGenerator {
        SeededGenerator(seed: seed).derived(purpose &+ (UInt64(epoch) << 24) &+ UInt64(batch))
    }

    /// Under MPI, that every rank holds the same weights after `epoch` (a
    /// checksum of their bits, compared by one allreduce): the ranks take
    /// the same steps by construction, and this says so or stops the job.
    func checkRanksAgree(epoch: Int) throws {
        guard group.size > 1 else { return }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let values = network.parameters.values
        for i in 0..<network.parameters.count { hash = (hash ^ UInt64(values[i].bitPattern)) &* 0x100_0000_01B3 }
        if let tuner { for v in tuner.table { hash = (hash ^ UInt64(v.bitPattern)) &* 0x100_0000_01B3 } }
        let seen = group.range(of: Int64(bitPattern: hash))
        guard seen.min == seen.max else {
            throw TrainingError.mismatch("the \(group.size) MPI ranks hold different weights after epoch \(epoch) (an MPI reduction that differs between ranks); the job stops rather than write a model of one rank")
        }
    }
}
