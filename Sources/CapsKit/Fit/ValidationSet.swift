import CapsArtifacts
import CapsNet

/// Rows scored after each epoch (no dropout, decoder masked by the labels as
/// in training), read in ascending order through a bounded window.
final class ValidationSet {
    let input: EmbeddedFile
    let labels: [Int32]
    let rows: [Int]

    init(input: EmbeddedFile, labels: [Int32], rows: [Int]) {
        self.input = input
        self.labels = labels
        self.rows = rows
    }

    /// Mean loss and accuracy over the rows.
    func evaluate(network: CapsuleNetwork, tuner: EmbeddingTuner?, batchSize: Int, windowRows: Int) throws
        -> (loss: Double, accuracy: Double) {
        let source = BatchSource(input: input, labels: labels, batchSize: batchSize,
                                 windowRows: min(max(windowRows, Trainer.blockRows), input.count),
                                 tuner: tuner)
        var lossSum = 0.0, correct = 0
        for window in source.sequentialWindows(of: rows, blockRows: Trainer.blockRows) {
            try source.load(window.ranges)
            for start in stride(from: 0, to: window.order.count, by: batchSize) {
                let batch = window.order[start..<min(start + batchSize, window.order.count)]
                source.fill(batch)
                let result = try source.x.withUnsafeBufferPointer { x in
                    try source.batchLabels.withUnsafeBufferPointer { y in
                        try source.tokens.withUnsafeBufferPointer { tokens in
                            try network.evaluate(x: x.baseAddress!, labels: y.baseAddress!, batch: batch.count,
                                                 tokens: tokens.baseAddress!)
                        }
                    }
                }
                lossSum += Double(result.loss) * Double(batch.count)
                correct += result.correct
            }
        }
        let n = Double(max(rows.count, 1))
        return (lossSum / n, Double(correct) / n)
    }

    /// Capsule lengths [rows, C] of the rows by inference (no dropout), in
    /// ascending row order, with their labels [rows].
    func lengths(network: CapsuleNetwork, tuner: EmbeddingTuner?, batchSize: Int, windowRows: Int) throws
        -> (lengths: [Float], labels: [Int32]) {
        let source = BatchSource(input: input, labels: labels, batchSize: batchSize,
                                 windowRows: min(max(windowRows, Trainer.blockRows), input.count),
                                 tuner: tuner)
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
