import CapsNet


/// Classification metrics of capsule lengths against true labels.
///
/// Predictions are the longest capsule per document (ties → lowest class
/// index). Per-class scores follow `ClassScores` (0/0 is 0). The macro
/// average is the unweighted mean over all C classes, including classes with
/// no support; the weighted average weights each class by its support.
public struct ClassificationMetrics: Sendable, Equatable {
    /// One name per class, index = class id.
    public let classNames: [String]
    /// Predicted class per document, `[N]`.
    public let predictions: [Int]
    /// Rows = true class, columns = predicted class, `[C, C]`.
    public let confusion: ConfusionMatrix
    /// Per-class scores, `[C]`.
    public let perClass: [ClassScores]
    /// Fraction of documents predicted correctly (0 for no documents).
    public let accuracy: Double
    /// Unweighted mean of the per-class scores; support = N.
    public let macroAverage: ClassScores
    /// Support-weighted mean of the per-class scores; support = N.
    public let weightedAverage: ClassScores
    /// Mean margin loss of the lengths (see `MarginLoss`).
    public let marginLoss: Double
    /// The margin-loss parameters used.
    public let marginParameters: MarginLoss

    /// N.
    public var documentCount: Int { predictions.count }

    /// - Parameters:
    ///   - lengths: capsule lengths `[N, C]`.
    ///   - labels: true class per document, `[N]`, each in `0..<C`.
    ///   - classNames: `[C]` display names.
    ///   - margin: parameters of the reported margin loss.
    public init(lengths: CapsuleLengths, labels: [Int32], classNames: [String],
                margin: MarginLoss = MarginLoss()) throws {
        let c = lengths.classCount
        guard classNames.count == c else {
            throw EvaluationError.classNameCount(names: classNames.count, classCount: c)
        }
        try lengths.validate(labels: labels)
        let truth = labels.map { Int($0) }
        let predictions = lengths.predictions()
        let confusion = ConfusionMatrix(classCount: c, labels: truth, predictions: predictions)
        let perClass = (0..<c).map {
            ClassScores(truePositives: confusion[$0, $0], predicted: confusion.columnTotal($0), actual: confusion.rowTotal($0))
        }
        let n = truth.count

        self.classNames = classNames
        self.predictions = predictions
        self.confusion = confusion
        self.perClass = perClass
        self.accuracy = ClassScores.ratio(confusion.trace, n)
        self.macroAverage = ClassScores(
            precision: perClass.map(\.precision).reduce(0, +) / Double(c),
            recall: perClass.map(\.recall).reduce(0, +) / Double(c),
            f1: perClass.map(\.f1).reduce(0, +) / Double(c),
            support: n)
        func weighted(_ score: KeyPath<ClassScores, Double>) -> Double {
            n == 0 ? 0 : perClass.reduce(0) { $0 + $1[keyPath: score] * Double($1.support) } / Double(n)
        }
        self.weightedAverage = ClassScores(
            precision: weighted(\.precision), recall: weighted(\.recall), f1: weighted(\.f1), support: n)
        self.marginLoss = try margin.mean(lengths: lengths, labels: labels)
        self.marginParameters = margin
    }
}
