

/// Counts of (true class, predicted class) pairs, `[C, C]` row-major:
/// rows are true classes, columns are predicted classes.
public struct ConfusionMatrix: Sendable, Equatable {
    /// C.
    public let classCount: Int
    /// `[C, C]` row-major; `counts[t * C + p]`.
    public private(set) var counts: [Int]

    /// An all-zero C×C matrix.
    public init(classCount: Int) {
        self.classCount = classCount
        self.counts = Array(repeating: 0, count: classCount * classCount)
    }

    /// Tallies `(labels[n], predictions[n])` pairs; both must be in `0..<classCount`.
    public init(classCount: Int, labels: [Int], predictions: [Int]) {
        precondition(labels.count == predictions.count, "one prediction per label")
        self.init(classCount: classCount)
        for (t, p) in zip(labels, predictions) { counts[t * classCount + p] += 1 }
    }

    /// Documents of true class `trueClass` predicted as `predicted`.
    public subscript(trueClass: Int, predicted: Int) -> Int {
        counts[trueClass * classCount + predicted]
    }

    /// The matrix as rows (true class) of columns (predicted class).
    public var rows: [[Int]] {
        (0..<classCount).map { Array(counts[($0 * classCount)..<(($0 + 1) * classCount)]) }
    }

    /// Support of class c: how many documents truly belong to it (row sum).
    public func rowTotal(_ c: Int) -> Int { rows[c].reduce(0, +) }

    /// How many documents were predicted as c (column sum).
    public func columnTotal(_ c: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + self[$1, c] }
    }

    /// Correct predictions (the diagonal).
    public var trace: Int { (0..<classCount).reduce(0) { $0 + self[$1, $1] } }

    /// All documents counted.
    public var total: Int { counts.reduce(0, +) }
}
