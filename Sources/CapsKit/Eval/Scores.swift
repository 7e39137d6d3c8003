import CapsArtifacts
import CapsCore
import CapsNet
import CapsReports

/// The outcome of scoring one input with one model: capsule lengths per
/// document and, for labelled input, the metrics.
public struct Scores {
    public let modelPath: String
    public let modelSHA256: String
    public let inputPath: String
    public let inputSHA256: String
    public let inputKind: ScoringInput.Kind
    /// [N, C].
    public let lengths: CapsuleLengths
    /// [N] in the model's class order, −1 for labels the model never saw; nil when unlabelled.
    public let labels: [Int32]?
    /// [C].
    public let labelNames: [String]
    /// Over the documents with a known label; nil when there are none.
    public let metrics: ClassificationMetrics?
    /// Multi-label scoring: every class of each document (−1: unseen), when
    /// the model was trained multi-label or the input lists several labels
    /// for a document; nil otherwise. Then `multiLabelMetrics` are the metrics.
    public let labelSets: [[Int32]]?
    /// The training history of every member (one for a single model), for the training-curves plots.
    public let histories: [TrainingHistory]
    /// The model's (member 1's) training history.
    public var history: TrainingHistory { histories[0] }

    /// Computes lengths and metrics of `input` under `model`.
    public init(model: ScoringModel, input: ScoringInput, progress: ProgressReporter? = nil) throws {
        modelPath = model.path
        modelSHA256 = try SHA256.hexDigest(ofFileAt: model.path)
        inputPath = input.path
        inputSHA256 = input.sha256
        inputKind = input.kind
        lengths = try model.lengths(of: input, progress: progress)
        labels = input.labels
        labelNames = model.labelNames
        histories = model.file.members.map(\.history)
        metrics = try Self.metrics(lengths: lengths, labels: input.labels, names: model.labelNames, config: model.config)
        let multiLabelModel = model.file.attribute("multi_label")?.intValue == 1
        labelSets = input.labelSets ?? (multiLabelModel ? input.labels.map { $0.map { [$0] } } : nil)
    }

    /// Whether the metrics are multi-label ones.
    public var isMultiLabel: Bool { labelSets != nil }

    /// The multi-label metrics with each class decided at its threshold;
    /// nil for single-label scoring.
    public func multiLabelMetrics(thresholds: ClassThresholds) throws -> MultiLabelMetrics? {
        guard let labelSets else { return nil }
        return try MultiLabelMetrics(lengths: lengths, gold: labelSets, thresholds: thresholds, classNames: labelNames)
    }

    /// The default decision threshold of multi-label metrics: the midpoint of
    /// the margin loss's m⁻ 0.1 and m⁺ 0.9, as capsfit validates.
    public static let defaultThreshold: Float = 0.5

    /// Metrics of the rows whose label is known (≥ 0), with the model's margin-loss constants.
    static func metrics(lengths: CapsuleLengths, labels: [Int32]?, names: [String],
                        config: CapsNetConfig) throws -> ClassificationMetrics? {
        guard let labels else { return nil }
        let known = labels.indices.filter { labels[$0] >= 0 }
        guard !known.isEmpty else { return nil }
        let c = lengths.classCount
        let subset = known.count == labels.count ? lengths
            : try CapsuleLengths(values: known.flatMap { lengths.values[($0 * c)..<(($0 + 1) * c)] }, classCount: c)
        let margin = MarginLoss(positive: config.marginPositive, negative: config.marginNegative,
                                lambda: config.marginLambda)
        return try ClassificationMetrics(lengths: subset, labels: known.map { labels[$0] }, classNames: names,
                                         margin: margin)
    }

    /// N.
    public var documentCount: Int { lengths.documentCount }
    /// [N]: the longest capsule of each document.
    public var predictions: [Int] { lengths.predictions() }
    /// Documents left out of the metrics because the model never saw their label.
    public var skippedDocuments: Int { labels?.filter { $0 < 0 }.count ?? 0 }
}

extension Scores {
    /// The `scores.h5` artifact of these scores, written by `command`.
    public func file(command: String) -> ScoresFile {
        let summary = metrics.map {
            ScoresFile.Summary(labelledDocuments: $0.documentCount, accuracy: $0.accuracy,
                               macroF1: $0.macroAverage.f1, weightedF1: $0.weightedAverage.f1,
                               marginLoss: $0.marginLoss, confusion: $0.confusion.counts)
        }
        return ScoresFile(lengths: lengths.values, classCount: lengths.classCount,
                          predictions: predictions.map(Int32.init), labelNames: labelNames, labels: labels,
                          summary: summary, provenance: Provenance(tool: "capseval", command: command),
                          model: (modelPath, modelSHA256), input: (inputPath, inputSHA256, inputKind.rawValue))
    }

    /// Writes `scores.h5` (see `ScoresFile`).
    public func write(to path: String, command: String) throws {
        try file(command: command).write(to: path)
    }
}
