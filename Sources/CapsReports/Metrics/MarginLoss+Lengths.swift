import CapsNet

/// The network's margin loss (`CapsNet.MarginLoss`, the one definition)
/// evaluated over scored documents, in double precision, as reports give it.
extension MarginLoss {
    /// Mean over the N documents of L_n (summed over classes), the training
    /// log's reduction, so the numbers compare; 0 for no documents.
    public func mean(lengths: CapsuleLengths, labels: [Int32]) throws -> Double {
        try lengths.validate(labels: labels)
        guard lengths.documentCount > 0 else { return 0 }
        var sum = 0.0
        for n in 0..<lengths.documentCount {
            sum += loss(row: lengths.row(n), label: Int(labels[n]))
        }
        return sum / Double(lengths.documentCount)
    }
}

extension CapsuleLengths {
    /// One label per document, each a valid class index.
    func validate(labels: [Int32]) throws {
        guard labels.count == documentCount else {
            throw EvaluationError.labelCount(labels: labels.count, documents: documentCount)
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw EvaluationError.labelOutOfRange(document: bad, label: labels[bad], classCount: classCount)
        }
    }
}
