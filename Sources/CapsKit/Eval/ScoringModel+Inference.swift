import CapsCore
import CapsNet
import CapsReports

extension ScoringModel {
    /// Capsule lengths [N, C] of every document of `input`, computed
    /// `batchSize` documents at a time (the last batch may be smaller).
    /// Inference has no randomness, so the result does not depend on the
    /// batch size beyond float rounding of BLAS.
    public func lengths(of input: ScoringInput, progress: ProgressReporter? = nil) throws -> CapsuleLengths {
        let n = input.documentCount, c = config.classes
        let l = config.maxLength, d = config.dimension
        var x = [Float](repeating: 0, count: batchSize * l * d)   // [B, L, D]
        var lengths = [Float](repeating: 0, count: n * c)          // [N, C]
        var start = 0
        while start < n {
            let rows = start..<min(start + batchSize, n)
            try x.withUnsafeMutableBufferPointer { x in
                try input.rows.fill(rows, maxLength: l, dimension: d, into: x)
                try lengths.withUnsafeMutableBufferPointer { out in
                    try network.infer(x: x.baseAddress!, batch: rows.count, lengths: out.baseAddress! + rows.lowerBound * c)
                }
            }
            progress?.advance(by: rows.count)
            start = rows.upperBound
        }
        progress?.finish()
        return try CapsuleLengths(values: lengths, classCount: c)
    }
}
