import Foundation

/// Why evaluation inputs were rejected. Each message is one line naming the
/// offending input (document, class, value) and what was expected.
public enum EvaluationError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// `lengths` does not hold `documents × classes` values.
    case lengthsShape(count: Int, classCount: Int)
    /// No classes: a capsule layer always has at least one.
    case noClasses
    /// `labels.count` differs from the number of documents in `lengths`.
    case labelCount(labels: Int, documents: Int)
    /// A label outside `0..<classCount`.
    case labelOutOfRange(document: Int, label: Int32, classCount: Int)
    /// A capsule length that is NaN or infinite (a diverged model).
    case nonFiniteLength(document: Int, classIndex: Int, value: Float)
    /// `classNames.count` differs from the capsule count.
    case classNameCount(names: Int, classCount: Int)
    /// `--top-k` below 1.
    case invalidTopK(Int)
    /// A threshold that is not a finite number.
    case invalidThreshold(Float)
    /// `thresholds.values.count` differs from the capsule count.
    case thresholdCount(thresholds: Int, classCount: Int)
    /// A plot or summary needs at least one training epoch.
    case emptyHistory

    public var description: String {
        switch self {
        case let .lengthsShape(count, classCount):
            return "capsule lengths: \(count) values is not a whole number of rows of \(classCount) classes (expected N×\(classCount))"
        case .noClasses:
            return "capsule lengths: expected at least one class, got 0"
        case let .labelCount(labels, documents):
            return "labels: \(labels) labels for \(documents) documents (expected one label per document)"
        case let .labelOutOfRange(document, label, classCount):
            return "labels: document \(document) has label \(label), expected 0..<\(classCount)"
        case let .nonFiniteLength(document, classIndex, value):
            return "capsule lengths: document \(document), class \(classIndex) is \(value), expected a finite length in [0, 1)"
        case let .classNameCount(names, classCount):
            return "class names: \(names) names for \(classCount) capsules (expected one name per class)"
        case let .invalidTopK(k):
            return "top-k: \(k) is not a positive number of classes"
        case let .invalidThreshold(t):
            return "threshold: \(t) is not a finite capsule length"
        case let .thresholdCount(thresholds, classCount):
            return "thresholds: \(thresholds) thresholds for \(classCount) capsules (expected one threshold per class)"
        case .emptyHistory:
            return "training history: no epochs recorded (expected at least one row)"
        }
    }

    public var errorDescription: String? { description }
}
