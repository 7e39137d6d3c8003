import CapsCore
import CapsStorage

/// Running sums of an epoch in progress: what its `EpochRecord` is made of
/// at the end. Checkpointed, so an epoch interrupted and resumed reports
/// exactly what the uninterrupted epoch would have.
public struct EpochSums: Equatable, Sendable {
    /// Σ over batches of the batch's mean loss × its size, and the same for
    /// the margin and reconstruction parts.
    public var loss = 0.0, marginLoss = 0.0, reconstructionLoss = 0.0
    /// Correct predictions and samples trained so far.
    public var correct = 0, samples = 0
    /// Seconds already spent in the epoch before an interruption.
    public var seconds = 0.0

    public init() {}

    /// Checkpoint attribute names, in the order of the legacy `partial_sums` dataset.
    static let attributeNames = ["epoch_loss_sum", "epoch_margin_loss_sum", "epoch_recon_loss_sum",
                                 "epoch_correct", "epoch_samples", "epoch_seconds"]

    var attributes: [(String, H5AttributeValue)] {
        zip(Self.attributeNames, [H5AttributeValue.double(loss), .double(marginLoss), .double(reconstructionLoss),
                                  .int(Int64(correct)), .int(Int64(samples)), .double(seconds)]).map { ($0, $1) }
    }

    init(values v: [Double]) {
        loss = v[0]; marginLoss = v[1]; reconstructionLoss = v[2]
        correct = Int(v[3]); samples = Int(v[4]); seconds = v[5]
    }
}

/// Everything `capsfit --resume` needs to continue a run exactly where it
/// stopped, at an epoch boundary or (after Ctrl-C) inside an epoch. Shuffles
/// and dropout masks are functions of (seed, epoch, batch), so positions, not
/// generator states, are enough to replay the stream.
///
/// Stored in the model file's group `/checkpoint` (an ensemble member's in
/// `/members/<k>/checkpoint`; P parameters, V × D table):
/// - float32 datasets `parameters`, `adam_m`, `adam_v` [P] (buffer order of
///   `/weights`); when fine-tuning, `embedding_table`, `embedding_adam_m`,
///   `embedding_adam_v` [V·D]; when averaging, `average_parameters` [P] and
///   (with fine-tuning) `average_embedding_table` [V·D];
/// - attributes `step` (Adam steps), `epoch` (completed), `batch` (batches
///   done in the next epoch, > 0 after an interruption), `lr`,
///   `best_val_acc`, `best_epoch`, and the epoch's running sums
///   (`EpochSums.attributeNames`).
public struct Checkpoint: Equatable {
    /// The current (last) parameters [P], not the kept best ones.
    public var parameters: [Float]
    public var adamStep: Int
    public var adamFirstMoment: [Float]
    public var adamSecondMoment: [Float]
    /// Fine-tuned embedding table and its moments [V, D], when fine-tuning.
    public var embeddingTable: [Float]?
    public var embeddingFirstMoment: [Float]?
    public var embeddingSecondMoment: [Float]?
    /// Completed epochs.
    public var epochsCompleted: Int
    /// Batches already done in epoch `epochsCompleted + 1` (0 at an epoch boundary).
    public var batchesDone: Int
    public var learningRate: Float
    /// Running sums of the interrupted epoch (zero at an epoch boundary).
    public var epochSums: EpochSums
    /// The kept weights so far and their validation accuracy/epoch (for `--keep best`).
    public var bestValidationAccuracy: Double
    public var bestEpoch: Int
    /// The moving average of the parameters [P] and of the tuned table [V, D]
    /// (`--average-decay`), when averaging.
    public var averageParameters: [Float]?
    public var averageEmbedding: [Float]?

    public init(parameters: [Float], adamStep: Int, adamFirstMoment: [Float], adamSecondMoment: [Float],
                embeddingTable: [Float]?, embeddingFirstMoment: [Float]?, embeddingSecondMoment: [Float]?,
                epochsCompleted: Int, batchesDone: Int, learningRate: Float, epochSums: EpochSums,
                bestValidationAccuracy: Double, bestEpoch: Int,
                averageParameters: [Float]? = nil, averageEmbedding: [Float]? = nil) {
        self.parameters = parameters; self.adamStep = adamStep
        self.adamFirstMoment = adamFirstMoment; self.adamSecondMoment = adamSecondMoment
        self.embeddingTable = embeddingTable; self.embeddingFirstMoment = embeddingFirstMoment
        self.embeddingSecondMoment = embeddingSecondMoment
        self.epochsCompleted = epochsCompleted; self.batchesDone = batchesDone; self.learningRate = learningRate
        self.epochSums = epochSums; self.bestValidationAccuracy = bestValidationAccuracy; self.bestEpoch = bestEpoch
        self.averageParameters = averageParameters; self.averageEmbedding = averageEmbedding
    }

    func write(to file: H5File, group: String = "/checkpoint") throws {
        try file.createGroup(group)
        let flat: (Int) -> [Int] = { [$0] }
        try file.write(parameters, shape: flat(parameters.count), to: "\(group)/parameters")
        try file.write(adamFirstMoment, shape: flat(adamFirstMoment.count), to: "\(group)/adam_m")
        try file.write(adamSecondMoment, shape: flat(adamSecondMoment.count), to: "\(group)/adam_v")
        if let embeddingTable, let embeddingFirstMoment, let embeddingSecondMoment {
            try file.write(embeddingTable, shape: flat(embeddingTable.count), to: "\(group)/embedding_table")
            try file.write(embeddingFirstMoment, shape: flat(embeddingFirstMoment.count), to: "\(group)/embedding_adam_m")
            try file.write(embeddingSecondMoment, shape: flat(embeddingSecondMoment.count), to: "\(group)/embedding_adam_v")
        }
        if let averageParameters {
            try file.write(averageParameters, shape: flat(averageParameters.count), to: "\(group)/average_parameters")
        }
        if let averageEmbedding {
            try file.write(averageEmbedding, shape: flat(averageEmbedding.count), to: "\(group)/average_embedding_table")
        }
        for (name, value) in epochSums.attributes { try file.setAttribute(name, value, on: group) }
        try file.setAttribute("step", .int(Int64(adamStep)), on: group)
        try file.setAttribute("epoch", .int(Int64(epochsCompleted)), on: group)
        try file.setAttribute("batch", .int(Int64(batchesDone)), on: group)
        try file.setAttribute("lr", .double(Double(learningRate)), on: group)
        try file.setAttribute("best_val_acc", .double(bestValidationAccuracy), on: group)
        try file.setAttribute("best_epoch", .int(Int64(bestEpoch)), on: group)
    }

    init(from file: H5File, group: String = "/checkpoint") throws {
        let read = { (name: String) in try file.read(Float.self, from: "\(group)/\(name)").values }
        parameters = try read("parameters")
        adamFirstMoment = try read("adam_m")
        adamSecondMoment = try read("adam_v")
        if file.contains("\(group)/embedding_table") {
            embeddingTable = try read("embedding_table")
            embeddingFirstMoment = try read("embedding_adam_m")
            embeddingSecondMoment = try read("embedding_adam_v")
        }
        if file.contains("\(group)/average_parameters") { averageParameters = try read("average_parameters") }
        if file.contains("\(group)/average_embedding_table") { averageEmbedding = try read("average_embedding_table") }
        if file.contains("\(group)/partial_sums") {
            // Models written before the sums were named: a [6] dataset in `EpochSums.attributeNames` order.
            epochSums = EpochSums(values: try file.read(Double.self, from: "\(group)/partial_sums", shape: [6]).values)
        } else {
            epochSums = EpochSums()
            epochSums.loss = try file.requireDouble("epoch_loss_sum", on: group)
            epochSums.marginLoss = try file.requireDouble("epoch_margin_loss_sum", on: group)
            epochSums.reconstructionLoss = try file.requireDouble("epoch_recon_loss_sum", on: group)
            epochSums.correct = try file.requireInt("epoch_correct", on: group)
            epochSums.samples = try file.requireInt("epoch_samples", on: group)
            epochSums.seconds = try file.requireDouble("epoch_seconds", on: group)
        }
        adamStep = try file.requireInt("step", on: group)
        epochsCompleted = try file.requireInt("epoch", on: group)
        batchesDone = try file.requireInt("batch", on: group)
        learningRate = Float(try file.requireDouble("lr", on: group))
        bestValidationAccuracy = try file.requireDouble("best_val_acc", on: group)
        bestEpoch = try file.requireInt("best_epoch", on: group)
    }
}
