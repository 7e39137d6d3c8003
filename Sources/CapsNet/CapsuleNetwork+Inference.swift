extension CapsuleNetwork {
    /// Inference on x [B, L, D] (no dropout): fills `lengths` [B, C] with the
    /// class-capsule lengths (the class scores) and, if given and the model has
    /// a decoder, `reconstructions` [B, L, D] decoded from the longest capsule.
    public func infer(x: UnsafePointer<Float>, batch: Int, lengths out: UnsafeMutablePointer<Float>,
                      reconstructions: UnsafeMutablePointer<Float>? = nil) throws {
        try checkBatch(batch)
        forwardToLengths(x: x, batch: batch, training: false)
        out.update(from: lengths.pointer, count: batch * config.classes)
        guard let reconstructions, config.hasDecoder else { return }
        selectLongest(batch: batch, labels: nil)
        let recon = forwardDecoder(batch: batch)
        reconstructions.update(from: recon, count: batch * sampleSize)
    }
}

extension CapsuleNetwork {
    /// `trainStep` on arrays: x holds B·L·D values, labels B.
    public func trainStep(x: [Float], labels: [Int32], inputGradient: UnsafeMutablePointer<Float>? = nil) throws -> BatchResult {
        try checkSizes(x: x, batch: labels.count)
        return try x.withUnsafeBufferPointer { xs in
            try labels.withUnsafeBufferPointer { ls in
                try trainStep(x: xs.baseAddress!, labels: ls.baseAddress!, batch: labels.count, inputGradient: inputGradient)
            }
        }
    }

    /// `evaluate` on arrays: x holds B·L·D values, labels B.
    public func evaluate(x: [Float], labels: [Int32]) throws -> BatchResult {
        try checkSizes(x: x, batch: labels.count)
        return try x.withUnsafeBufferPointer { xs in
            try labels.withUnsafeBufferPointer { ls in
                try evaluate(x: xs.baseAddress!, labels: ls.baseAddress!, batch: labels.count)
            }
        }
    }

    /// `infer` on an array of B·L·D values; returns lengths [B, C].
    public func infer(x: [Float]) throws -> [Float] {
        let batch = x.count / sampleSize
        try checkSizes(x: x, batch: batch)
        var out = [Float](repeating: 0, count: batch * config.classes)
        try x.withUnsafeBufferPointer { xs in
            try out.withUnsafeMutableBufferPointer { try infer(x: xs.baseAddress!, batch: batch, lengths: $0.baseAddress!) }
        }
        return out
    }

    private func checkSizes(x: [Float], batch: Int) throws {
        try checkBatch(batch)
        guard x.count == batch * sampleSize else {
            throw CapsNetError.bufferTooSmall(argument: "x", expected: batch * sampleSize, got: x.count)
        }
    }
}
