import CapsNet

/// An exponential moving average of the weights (Polyak averaging), the
/// weights that are validated and kept when `--average-decay` is set: the
/// average of the last ~1/(1 − decay) steps sits nearer the middle of the
/// region SGD wanders in than any single step, which on small, noisy
/// datasets generalises better.
///
/// Like TensorFlow's `ExponentialMovingAverage(num_updates:)`, the decay
/// after step t is min(decay, (1 + t) / (10 + t)), so early steps, when the
/// weights move fast, are not averaged with the random initialisation for
/// long. The fine-tuned embedding table, when there is one, is averaged too.
final class WeightAverage {
    let decay: Float
    /// [P] averaged network parameters and [V, D] averaged embedding table.
    private(set) var parameters: [Float]
    private(set) var embedding: [Float]?

    /// Starts from the current weights.
    init(decay: Float, network: CapsuleNetwork, tuner: EmbeddingTuner?) {
        self.decay = decay
        parameters = network.parameters.allValues()
        embedding = tuner?.table
    }

    /// Restores a saved average (for `--resume`).
    func restore(parameters: [Float], embedding: [Float]?) {
        precondition(parameters.count == self.parameters.count && embedding?.count == self.embedding?.count)
        self.parameters = parameters
        self.embedding = embedding
    }

    /// The decay used after optimiser step `step` (≥ 1).
    func effectiveDecay(step: Int) -> Float {
        min(decay, Float(1 + step) / Float(10 + step))
    }

    /// average ← d · average + (1 − d) · current, after optimiser step `step`.
    func update(network: CapsuleNetwork, tuner: EmbeddingTuner?, step: Int) {
        let d = effectiveDecay(step: step)
        Self.blend(&parameters, towards: network.parameters.values, decay: d)
        if let tuner, embedding != nil {
            tuner.table.withUnsafeBufferPointer { Self.blend(&embedding!, towards: $0.baseAddress!, decay: d) }
        }
    }

    /// average[i] ← d · average[i] + (1 − d) · current[i], split over the compute threads.
    private static func blend(_ average: inout [Float], towards current: UnsafePointer<Float>, decay d: Float) {
        average.withUnsafeMutableBufferPointer { average in
            let a = average.baseAddress!
            ComputeThreads.forEachChunk(average.count, minimumChunk: 1 << 16) { range in
                for i in range { a[i] = d * a[i] + (1 - d) * current[i] }
            }
        }
    }

    /// Runs `body` with the averaged weights in the network (and tuner), then
    /// puts the live ones back, bit for bit.
    func withAveragedWeights<T>(in network: CapsuleNetwork, tuner: EmbeddingTuner?, _ body: () throws -> T) throws -> T {
        let live = network.parameters.allValues()
        try network.parameters.set(contentsOf: parameters)
        if embedding != nil { tuner?.swapTable(with: &embedding!) }
        defer {
            try? network.parameters.set(contentsOf: live)
            if embedding != nil { tuner?.swapTable(with: &embedding!) }
        }
        return try body()
    }
}
