import CapsCore
import CapsStorage

/// Everything `capsfit --resume` needs to continue a run exactly where it
/// stopped, at an epoch boundary or (after Ctrl-C) inside an epoch. Shuffles
/// and dropout masks are functions of (seed, epoch, batch), so positions, not
/// generator states, are enough to replay the stream.
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
    /// Running sums of the interrupted epoch: loss, margin, recon (sums of batch means × batch size), correct, samples, seconds.
    public var partialSums: [Double]
    /// The kept weights so far and their validation accuracy/epoch (for `--keep best`).
    public var bestValidationAccuracy: Double
    public var bestEpoch: Int
    /// The moving average of the parameters [P] and of the tuned table [V, D]
    /// (`--average-decay`), when averaging.
    public var averageParameters: [Float]?
    public var averageEmbedding: [Float]?

    public init(parameters: [Float], adamStep: Int, adamFirstMoment: [Float], adamSecondMoment: [Float],
                embeddingTable: [Float]?, embeddingFirstMoment: [Float]?, embeddingSecondMoment: [Float]?,
                epochsCompleted: Int, batchesDone: Int, learningRate: Float, partialSums: [Double],
                bestValidationAccuracy: Double, bestEpoch: Int,
                averageParameters: [Float]? = nil, averageEmbedding: [Float]? = nil) {
        self.parameters = parameters; self.adamStep = adamStep
        self.adamFirstMoment = adamFirstMoment; self.adamSecondMoment = adamSecondMoment
        self.embeddingTable = embeddingTable; self.embeddingFirstMoment = embeddingFirstMoment
        self.embeddingSecondMoment = embeddingSecondMoment
        self.epochsCompleted = epochsCompleted; self.batchesDone = batchesDone; self.learningRate = learningRate
        self.partialSums = partialSums; self.bestValidationAccuracy = bestValidationAccuracy; self.bestEpoch = bestEpoch
        self.averageParameters = averageParameters; self.averageEmbedding = averageEmbedding
    }

    func write(to file: H5File) throws {
        let group = "/checkpoint"
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
        try file.write(partialSums, shape: flat(partialSums.count), to: "\(group)/partial_sums")
        try file.setAttribute("step", .int(Int64(adamStep)), on: group)
        try file.setAttribute("epoch", .int(Int64(epochsCompleted)), on: group)
        try file.setAttribute("batch", .int(Int64(batchesDone)), on: group)
        try file.setAttribute("lr", .double(Double(learningRate)), on: group)
        try file.setAttribute("best_val_acc", .double(bestValidationAccuracy), on: group)
        try file.setAttribute("best_epoch", .int(Int64(bestEpoch)), on: group)
    }

    init(from file: H5File) throws {
        let group = "/checkpoint"
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
        partialSums = try file.read(Double.self, from: "\(group)/partial_sums").values
        adamStep = try file.requireInt("step", on: group)
        epochsCompleted = try file.requireInt("epoch", on: group)
        batchesDone = try file.requireInt("batch", on: group)
        learningRate = Float(try file.requireDouble("lr", on: group))
        bestValidationAccuracy = try file.requireDouble("best_val_acc", on: group)
        bestEpoch = try file.requireInt("best_epoch", on: group)
    }
}
