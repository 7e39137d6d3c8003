import CapsCore
import CapsNet
import CapsReports

extension ScoringModel {
    /// Capsule lengths [N, C] of every document of `input`, computed
    /// `batchSize` documents at a time (the last batch may be smaller).
    /// Inference has no randomness, so the result does not depend on the
    /// batch size beyond float rounding of BLAS.
    ///
    /// An ensemble's lengths are the mean over its K members of each
    /// member's [N, C] lengths: (l₁ + l₂ + … + l_K) / K in float32, summed in
    /// member order; each member runs over all documents in turn with its own
    /// weights and (fine-tuned) table.
    public func lengths(of input: ScoringInput, progress: ProgressReporter? = nil) throws -> CapsuleLengths {
        let n = input.documentCount, c = config.classes
        var lengths = [Float](repeating: 0, count: n * c)          // [N, C]
        if memberCount == 1 {
            try memberLengths(of: input.rows, tokens: input.tokens, count: n, into: &lengths, progress: progress)
        } else {
            var member = [Float](repeating: 0, count: n * c)
            for (k, weights) in file.members.map(\.weights).enumerated() {
                try network.parameters.set(contentsOf: weights)
                let rows = input.memberRows.count == 1 ? input.memberRows[0] : input.memberRows[k]
                try memberLengths(of: rows, tokens: input.tokens, count: n, into: &member, progress: progress)
                for i in lengths.indices { lengths[i] += member[i] }
            }
            try network.parameters.set(contentsOf: file.members[0].weights)
            let k = Float(memberCount)
            for i in lengths.indices { lengths[i] /= k }
        }
        progress?.finish()
        return try CapsuleLengths(values: lengths, classCount: c)
    }

    /// One network's lengths [N, C] of `rows` (with their token ids [N, L_t]) into `lengths`.
    private func memberLengths(of rows: ScoringRows, tokens: [Int32], count n: Int, into lengths: inout [Float],
                               progress: ProgressReporter?) throws {
        let c = config.classes, l = config.maxLength, d = config.dimension
        var x = [Float](repeating: 0, count: batchSize * l * d)   // [B, L, D]
        var start = 0
        while start < n {
            let batch = start..<min(start + batchSize, n)
            try x.withUnsafeMutableBufferPointer { x in
                try rows.fill(batch, maxLength: l, dimension: d, into: x)
                try tokens.withUnsafeBufferPointer { tokens in
                    try lengths.withUnsafeMutableBufferPointer { out in
                        try network.infer(x: x.baseAddress!, batch: batch.count,
                                          tokens: tokens.baseAddress! + batch.lowerBound * config.tokenRowLength,
                                          lengths: out.baseAddress! + batch.lowerBound * c)
                    }
                }
            }
            progress?.advance(by: batch.count)
            start = batch.upperBound
        }
    }
}
