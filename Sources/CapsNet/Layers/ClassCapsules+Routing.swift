import Foundation

extension ClassCapsules {
    /// Routing-by-agreement on the votes of the latest forward, per sample:
    ///   logits β[n, c] = 0
    ///   repeat `routings` times (once for `.static`):
    ///     c[n, :] = softmax over classes of β[n, :] (`.dynamic`), the same
    ///               with an orphan logit 0 that is dropped (`.leaky`),
    ///               or 1/C (`.static`)
    ///     s[c] = Σ_n k·c[n, c] · û[n, c];  v[c] = squash(s[c])   (k: `couplingScale`)
    ///     (not after the last) β[n, c] += ⟨v[c], û[n, c]⟩
    /// Samples are independent, so they are split across threads; each sample's
    /// arithmetic is the same for any split, keeping results bit-identical.
    /// v: [B, C, O].
    func route(batch: Int, out v: UnsafeMutablePointer<Float>) {
        let C = classes, N = inCapsules, O = outDimension, width = voteWidth
        let votes = workspace.pointer(self.votes), logits = workspace.pointer(self.logits)
        let coupling = workspace.pointer(self.coupling), s = workspace.pointer(preSquash)
        let iterations = scheme == .static ? 1 : routings, scheme = self.scheme, k = couplingScale
        ComputeThreads.forEachChunk(batch) { samples in
            for b in samples {
                let beta = logits + b * N * C, cb = coupling + b * N * C
                let sb = s + b * width, vb = v + b * width
                beta.update(repeating: 0, count: N * C)
                for iteration in 0..<iterations {
                    switch scheme {
                    case .dynamic: for n in 0..<N { Self.softmax(beta + n * C, into: cb + n * C, count: C) }
                    case .leaky: for n in 0..<N { Self.leakySoftmax(beta + n * C, into: cb + n * C, count: C) }
                    case .static: cb.update(repeating: 1 / Float(C), count: N * C)
                    }
                    sb.update(repeating: 0, count: width)
                    for n in 0..<N {
                        let u = votes + (n * batch + b) * width, cn = cb + n * C
                        for c in 0..<C { VectorMath.axpy(k * cn[c], u + c * O, sb + c * O, O) }
                    }
                    Squash.forward(sb, vb, capsules: C, dimension: O)
                    guard iteration < iterations - 1 else { break }
                    for n in 0..<N {
                        let u = votes + (n * batch + b) * width, bn = beta + n * C
                        for c in 0..<C { bn[c] += VectorMath.dot(vb + c * O, u + c * O, O) }
                    }
                }
            }
        }
    }

    /// out[count] = the first `count` entries of softmax([x, 0]): the orphan
    /// logit 0 takes its share and is dropped, so Σ out < 1. Max-subtracted
    /// (the maximum includes the orphan's 0).
    @inline(__always)
    static func leakySoftmax(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var m: Float = 0
        for i in 0..<count where x[i] > m { m = x[i] }
        var sum = expf(-m)
        for i in 0..<count {
            out[i] = expf(x[i] - m)
            sum += out[i]
        }
        let inv = 1 / sum
        for i in 0..<count { out[i] *= inv }
    }

    /// out[count] = softmax(x[count]), max-subtracted.
    @inline(__always)
    static func softmax(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var m = x[0]
        for i in 1..<count where x[i] > m { m = x[i] }
        var sum: Float = 0
        for i in 0..<count {
            out[i] = expf(x[i] - m)
            sum += out[i]
        }
        let inv = 1 / sum
        for i in 0..<count { out[i] *= inv }
    }
}
