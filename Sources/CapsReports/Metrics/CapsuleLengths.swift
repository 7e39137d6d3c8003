

/// Capsule lengths of the class capsules for a batch of documents,
/// `[N, C]` row-major: `values[n * classCount + c]` is ‖v_c‖ for document n.
///
/// Lengths are independent scores in [0, 1) (squash keeps every capsule
/// below 1), not a probability distribution: rows need not sum to 1, and
/// several classes, or none, may be "on" at once.
public struct CapsuleLengths: Sendable, Equatable {
    /// `[N, C]` row-major.
    public let values: [Float]
    /// C, the number of class capsules.
    public let classCount: Int
    /// N, the number of documents.
    public var documentCount: Int { values.count / classCount }

    /// Validates the shape and that every length is finite, so later
    /// arithmetic never meets NaN.
    public init(values: [Float], classCount: Int) throws {
        guard classCount > 0 else { throw EvaluationError.noClasses }
        guard values.count % classCount == 0 else {
            throw EvaluationError.lengthsShape(count: values.count, classCount: classCount)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw EvaluationError.nonFiniteLength(document: bad / classCount, classIndex: bad % classCount, value: values[bad])
        }
        self.values = values
        self.classCount = classCount
    }

    /// The C lengths of document `document`.
    public func row(_ document: Int) -> ArraySlice<Float> {
        values[(document * classCount)..<((document + 1) * classCount)]
    }

    /// The predicted class of `document`: the longest capsule; a tie goes to
    /// the lowest class index, so predictions never depend on scan order.
    public func prediction(_ document: Int) -> Int {
        let row = row(document)
        var best = row.startIndex
        for i in row.indices where row[i] > row[best] { best = i }
        return best - row.startIndex
    }

    /// Predicted class for every document, `[N]`.
    public func predictions() -> [Int] {
        (0..<documentCount).map(prediction)
    }

    /// The `k` longest capsules of `document`, longest first (ties: lower
    /// class index first); fewer than `k` when there are fewer classes.
    public func topK(_ document: Int, k: Int) -> [(classIndex: Int, length: Float)] {
        ranked(document).prefix(k).map { $0 }
    }

    /// Every class of `document` whose length is ≥ `threshold`, longest
    /// first; possibly empty.
    public func above(_ document: Int, threshold: Float) -> [(classIndex: Int, length: Float)] {
        ranked(document).filter { $0.length >= threshold }
    }

    public func ranked(_ document: Int) -> [(classIndex: Int, length: Float)] {
        let row = row(document)
        return row.indices
            .map { (classIndex: $0 - row.startIndex, length: row[$0]) }
            .sorted { $0.length != $1.length ? $0.length > $1.length : $0.classIndex < $1.classIndex }
    }
}
