

/// Precision, recall, F1 and support of one class (or an average of them).
///
/// A ratio whose denominator is 0 is defined as 0 (as scikit-learn does with
/// `zero_division=0`): a never-predicted class has precision 0, a class with
/// no documents has recall 0, and F1 is 0 when precision + recall is 0.
public struct ClassScores: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Documents whose true class this is (for averages: all documents).
    public var support: Int

    public init(precision: Double, recall: Double, f1: Double, support: Int) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }

    /// Scores from counts of true positives, predicted positives and actual positives.
    public init(truePositives tp: Int, predicted: Int, actual: Int) {
        let precision = ClassScores.ratio(tp, predicted)
        let recall = ClassScores.ratio(tp, actual)
        let sum = precision + recall
        self.init(precision: precision, recall: recall,
                  f1: sum > 0 ? 2 * precision * recall / sum : 0,
                  support: actual)
    }

    /// `a / b`, or 0 when `b` is 0.
    static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
