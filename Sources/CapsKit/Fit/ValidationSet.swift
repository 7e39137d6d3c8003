import CapsArtifacts
import CapsMPI
import CapsNet

/// Rows scored after each epoch (no dropout, decoder masked by the labels as
/// in training), read in ascending order through a bounded window.
final class ValidationSet {
    let input: EmbeddedFile
    let labels: [Int32]
    let rows: [Int]
    /// Multi-label: every class of each file row; the score is then micro-F1.
    let labelSets: [[Int32]]?

    init(input: EmbeddedFile, labels: [Int32], rows: [Int], labelSets: [[Int32]]? = nil) {
        self.input = input
        self.labels = labels
        self.rows = rows
        self.labelSets = labelSets
    }

    /// The decision threshold on capsule lengths for multi-label validation:
    /// the midpoint of the margin loss's m⁻ 0.1 and m⁺ 0.9 (capseval's default).
    static let multiLabelThreshold: Float = 0.5

    /// Mean loss and score over the rows: accuracy, or for multi-label data
    /// micro-F1 of the classes whose capsule reaches `multiLabelThreshold`.
    /// Under MPI each rank scores a contiguous share of the rows and the sums
    /// are added over the ranks, so every rank gets the same figures.
    func evaluate(network: CapsuleNetwork, tuner: EmbeddingTuner?, batchSize: Int, windowRows: Int,
                  group: ProcessGroup = .single) throws
        -> (loss: Double, accuracy: Double) {
        let rows = Array(self.rows[(self.rows.count * group.rank / group.size)..<(self.rows.count * (group.rank + 1) / group.size)])
        let source = BatchSource(input: input, labels: labels, batchSize: batchSize,
                                 windowRows: min(max(windowRows, Trainer.blockRows), input.count),
                                 tuner: tuner, labelSets: labelSets, lexicalLength: network.config.lexicalLength)
        var lossSum = 0.0, correct = 0
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        let C = network.config.classes
        for window in source.sequentialWindows(of: rows, blockRows: Trainer.blockRows) {
            try source.load(window.ranges)
            for start in stride(from: 0, to: window.order.count, by: batchSize) {
                let batch = window.order[start..<min(start + batchSize, window.order.count)]
                source.fill(batch)
                let result = try source.x.withUnsafeBufferPointer { x in
                    try source.batchLabels.withUnsafeBufferPointer { y in
                        try source.tokens.withUnsafeBufferPointer { tokens in
                            try source.withTargets { targets in
                                try network.evaluate(x: x.baseAddress!, labels: y.baseAddress!, batch: batch.count,
                                                     tokens: tokens.baseAddress!, targets: targets)
                            }
                        }
                    }
                }
                lossSum += Double(result.loss) * Double(batch.count)
                correct += result.correct
                if labelSets != nil {
                    let lengths = network.lastLengths(batch: batch.count)
                    for b in 0..<batch.count {
                        for c in 0..<C {
                            let predicted = lengths[b * C + c] >= Self.multiLabelThreshold
                            let present = source.targets[b * C + c] > 0
                            if predicted && present { truePositives += 1 }
                            else if predicted { falsePositives += 1 }
                            else if present { falseNegatives += 1 }
                        }
                    }
                }
            }
        }
        var sums = [lossSum, Double(correct), Double(truePositives), Double(falsePositives), Double(falseNegatives)]
        group.sum(&sums)
        lossSum = sums[0]
        correct = Int(sums[1].rounded())
        (truePositives, falsePositives, falseNegatives) = (Int(sums[2].rounded()), Int(sums[3].rounded()), Int(sums[4].rounded()))
        let n = Double(max(self.rows.count, 1))
        if labelSets != nil {
            let denominator = 2 * truePositives + falsePositives + falseNegatives
            return (lossSum / n, denominator == 0 ? 0 : Double(2 * truePositives) / Double(denominator))
        }
        return (lossSum / n, Double(correct) / n)
    }

    /// Capsule lengths [rows, C] of the rows by inference (no dropout), in
    /// ascending row order, with their labels [rows].
    func lengths(network: CapsuleNetwork, tuner: EmbeddingTuner?, batchSize: Int, windowRows: Int) throws
        -> (lengths: [Float], labels: [Int32]) {
        let source = BatchSource(input: input, labels: labels, batchSize: batchSize,
                                 windowRows: min(max(windowRows, Trainer.blockRows), input.count),
                                 tuner: tuner, lexicalLength: network.config.lexicalLength)
        let c = network.config.classes
        var lengths = [Float](repeating: 0, count: rows.count * c)
        var batchLabels: [Int32] = []
        batchLabels.reserveCapacity(rows.count)
        for window in source.sequentialWindows(of: rows, blockRows: Trainer.blockRows) {
            try source.load(window.ranges)
            for start in stride(from: 0, to: window.order.count, by: batchSize) {
                let batch = window.order[start..<min(start + batchSize, window.order.count)]
                source.fill(batch)
                let offset = batchLabels.count * c
                try source.x.withUnsafeBufferPointer { x in
                    try source.tokens.withUnsafeBufferPointer { tokens in
                        try lengths.withUnsafeMutableBufferPointer { out in
                            try network.infer(x: x.baseAddress!, batch: batch.count, tokens: tokens.baseAddress!,
                                              lengths: out.baseAddress! + offset)
                        }
                    }
                }
                batchLabels += source.batchLabels[0..<batch.count]
            }
        }
        return (lengths, batchLabels)
    }
}
